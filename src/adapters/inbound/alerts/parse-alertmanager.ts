import { z } from 'zod';
import { describeZodError, formatPath } from '../../../domain/classifier/describe-zod-error';
import { isSignalName, type Signals } from '../../../domain/classifier/signals';
import { refuse, type Result } from '../../../domain/result';
import { ALERT_REFUSAL, type AlertBatch, type NormalizedAlert } from './normalized-alert';
import { parseSignalValue, RATIO_ALIASES } from './parse-signal-value';

const stringMap = z.record(z.string(), z.string());
const timestamp = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an RFC 3339 timestamp');

// Alertmanager webhook, version 4 (alertmanager/notify/webhook). Unknown keys are allowed:
// newer Alertmanagers add fields and must keep working.
const alertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: stringMap,
  annotations: stringMap.default({}),
  startsAt: timestamp.optional(),
  endsAt: timestamp.optional(),
  generatorURL: z.string().default(''),
  // Alertmanager (v0.19+) always sends it; an alert without one is not from Alertmanager.
  fingerprint: z.string().min(1),
});

const webhookSchema = z.object({
  version: z.literal('4'),
  groupKey: z.string().min(1),
  truncatedAlerts: z.number().int().min(0).default(0),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  alerts: z.array(alertSchema).min(1, 'expected at least one alert'),
  externalURL: z.string().default(''),
});

type AmAlert = z.infer<typeof alertSchema>;

/** Label names tried, in order, for the alert's service. */
const SERVICE_LABELS = ['service', 'job', 'app'] as const;

/**
 * Parses an Alertmanager v4 webhook body into a batch of normalized alerts.
 * Signals come from labels and annotations named like a signal (`error_rate: "18"`),
 * annotations winning over labels; see `parseSignalValue` for how text becomes numbers.
 * A malformed signal refuses the whole request, naming the field: silently dropping an
 * `error_rate` would classify a real outage as P3. `incident-bot classify` checks payloads before rollout.
 */
export function parseAlertmanager(body: unknown): Result<{ batch: AlertBatch }> {
  const parsed = webhookSchema.safeParse(body);
  if (!parsed.success) return refuse(ALERT_REFUSAL.invalid, `Alertmanager payload: ${describeZodError(parsed.error)}`);
  const webhook = parsed.data;
  const alerts: NormalizedAlert[] = [];
  for (const [index, alert] of webhook.alerts.entries()) {
    const signals = readSignals(alert, index);
    if ('error' in signals) return refuse(ALERT_REFUSAL.invalid, `Alertmanager payload: ${signals.error}`);
    alerts.push(normalize(alert, webhook.groupKey, signals.signals));
  }
  return { ok: true, batch: { source: 'alertmanager', alerts, truncatedAlerts: webhook.truncatedAlerts, receiver: webhook.receiver } };
}

function normalize(alert: AmAlert, groupKey: string, signals: Signals): NormalizedAlert {
  const { labels, annotations } = alert;
  const links: NormalizedAlert['links'] = [];
  if (alert.generatorURL) links.push({ title: 'Source', url: alert.generatorURL });
  if (annotations.runbook_url) links.push({ title: 'Runbook', url: annotations.runbook_url });
  if (annotations.dashboard_url) links.push({ title: 'Dashboard', url: annotations.dashboard_url });
  return {
    source: 'alertmanager',
    groupKey,
    fingerprint: alert.fingerprint,
    status: alert.status,
    service: SERVICE_LABELS.map((name) => labels[name]).find((v) => v !== undefined && v !== '') ?? null,
    title: annotations.summary || labels.alertname || 'Alertmanager alert',
    description: annotations.description ?? '',
    labels,
    signals,
    startsAt: toMillis(alert.startsAt),
    endsAt: toMillis(alert.endsAt),
    changedAt: toMillis(alert.status === 'firing' ? alert.startsAt : alert.endsAt),
    links,
    severityLabel: labels.severity ?? null,
    deliveryId: null,
  };
}

function readSignals(alert: AmAlert, index: number): { signals: Signals } | { error: string } {
  const signals: Record<string, number | boolean> = {};
  // Labels first, then annotations, so an annotation overrides a label of the same name.
  for (const [where, map] of [
    ['labels', alert.labels],
    ['annotations', alert.annotations],
  ] as const) {
    const keyFor = new Map<string, string>();
    for (const [key, text] of Object.entries(map)) {
      const ratioOf = RATIO_ALIASES[key];
      const name = ratioOf ?? (isSignalName(key) ? key : null);
      if (name === null) continue;
      const path = formatPath(['alerts', index, where, key]);
      const earlier = keyFor.get(name);
      if (earlier !== undefined) return { error: `${path}: ${name} is also given as ${where}.${earlier}; send only one` };
      const read = parseSignalValue(name, text, ratioOf !== undefined);
      if ('error' in read) return { error: `${path}: ${read.error}` };
      keyFor.set(name, key);
      signals[name] = read.value;
    }
  }
  return { signals: signals as Signals };
}

/** Alertmanager's zero time (0001-01-01) and anything before the epoch mean "not set". */
function toMillis(text: string | undefined): number | null {
  if (text === undefined) return null;
  const ms = Date.parse(text);
  return ms > 0 ? ms : null;
}
