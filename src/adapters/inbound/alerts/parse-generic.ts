import { z } from 'zod';
import { describeZodError } from '../../../domain/classifier/describe-zod-error';
import { SIGNAL_NAMES, type Signals } from '../../../domain/classifier/signals';
import { refuse, type Result } from '../../../domain/result';
import { SEVERITIES } from '../../../domain/severity';
import { ALERT_REFUSAL, type AlertBatch, type NormalizedAlert } from './normalized-alert';

/**
 * The generic alert (POST /alerts/generic), for scripts, Grafana contact points and
 * anything that is not Alertmanager or PagerDuty. Full description: docs/alerts-generic.md.
 *
 *   {
 *     "dedup_key": "checkout-latency",        required, 1..200 chars; same key = same incident
 *     "status": "firing",                     "firing" (default) or "resolved"
 *     "title": "Checkout p95 above target",   required, 1..500 chars
 *     "service": "checkout",                  optional; picks the per-service p95 target and runners
 *     "description": "…",                     optional, up to 10000 chars
 *     "severity": "P1",                       optional hint P0..P3; used only when no signal rule matches
 *     "signals": {                            optional; unknown names are REFUSED (a typo must not drop a signal)
 *       "error_rate": 18,                     PERCENT 0..100 (18 = 18%; 0.18 = 0.18%)
 *       "failure_rate": 55,                   PERCENT 0..100
 *       "p95_ms": 1200, "p95_target_ms": 500, milliseconds
 *       "data_loss": false, "security_breach": false, "corruption": false, "unresponsive": false
 *     },
 *     "labels": { "team": "payments" },       optional, string values
 *     "links": [{ "title": "Dashboard", "url": "https://…" }],  optional, http(s), at most 20
 *     "starts_at": "2026-11-21T19:43:29Z",    optional ISO 8601
 *     "ends_at": "2026-11-21T20:02:00Z"        optional ISO 8601, when a resolved alert ended
 *   }
 * Unknown top-level keys are refused for the same reason as unknown signals.
 */
const percent = z.number().min(0).max(100);

const signalsSchema = z.strictObject(
  {
    error_rate: percent.optional(),
    failure_rate: percent.optional(),
    p95_ms: z.number().min(0).finite().optional(),
    p95_target_ms: z.number().positive().finite().optional(),
    data_loss: z.boolean().optional(),
    security_breach: z.boolean().optional(),
    corruption: z.boolean().optional(),
    unresponsive: z.boolean().optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown signal${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}; known signals: ${SIGNAL_NAMES.join(', ')}`
        : undefined,
  },
);

const genericSchema = z.strictObject({
  dedup_key: z.string().min(1).max(200),
  status: z.enum(['firing', 'resolved']).default('firing'),
  title: z.string().trim().min(1).max(500),
  service: z.string().min(1).max(200).optional(),
  description: z.string().max(10_000).default(''),
  severity: z.enum(SEVERITIES).optional(),
  signals: signalsSchema.default({}),
  labels: z.record(z.string(), z.string()).default({}),
  links: z
    .array(z.strictObject({ title: z.string().min(1).max(200), url: z.string().regex(/^https?:\/\/\S+$/, 'expected an http(s) URL') }))
    .max(20)
    .default([]),
  starts_at: z
    .string()
    .refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 timestamp')
    .optional(),
  ends_at: z
    .string()
    .refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 timestamp')
    .optional(),
});

/** Parses the generic alert into a one-alert batch; the refusal names the bad field. */
export function parseGeneric(body: unknown): Result<{ batch: AlertBatch }> {
  const parsed = genericSchema.safeParse(body);
  if (!parsed.success) return refuse(ALERT_REFUSAL.invalid, `generic alert: ${describeZodError(parsed.error)}`);
  const g = parsed.data;
  const changedText = g.status === 'firing' ? g.starts_at : g.ends_at;
  // The severity hint travels as the `severity` label so the classifier's label fallback reads it.
  const labels = g.severity ? { ...g.labels, severity: g.severity } : g.labels;
  const alert: NormalizedAlert = {
    source: 'generic',
    groupKey: `generic:${g.dedup_key}`,
    fingerprint: g.dedup_key,
    status: g.status,
    service: g.service ?? null,
    title: g.title,
    description: g.description,
    labels,
    signals: g.signals as Signals,
    startsAt: g.starts_at !== undefined ? Date.parse(g.starts_at) : null,
    endsAt: g.ends_at !== undefined ? Date.parse(g.ends_at) : null,
    changedAt: changedText !== undefined ? Date.parse(changedText) : null,
    links: g.links,
    severityLabel: labels.severity ?? null,
    deliveryId: null,
  };
  return { ok: true, batch: { source: 'generic', alerts: [alert], truncatedAlerts: 0 } };
}
