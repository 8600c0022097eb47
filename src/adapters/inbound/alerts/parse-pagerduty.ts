import { z } from 'zod';
import { describeZodError } from '../../../domain/classifier/describe-zod-error';
import { refuse, type Result } from '../../../domain/result';
import { ALERT_REFUSAL, type AlertBatch, type NormalizedAlert } from './normalized-alert';

/**
 * The incident events that open, update or close an incident here. `incident.reopened`
 * is handled too (not only triggered/acknowledged/resolved): a reopened PagerDuty
 * incident must bring ours back. Everything else (annotated, escalated, service.*, ...)
 * is refused as `pagerduty.ignored_event`, which the route answers with 202.
 */
const HANDLED_EVENTS = {
  'incident.triggered': 'firing',
  'incident.acknowledged': 'firing',
  'incident.reopened': 'firing',
  'incident.resolved': 'resolved',
} as const;
type HandledEvent = keyof typeof HANDLED_EVENTS;

const reference = z.object({ id: z.string().min(1), summary: z.string() });

// PagerDuty v3 webhook envelope (developer.pagerduty.com, "Webhooks v3 overview"). Fields
// we do not use are allowed through so PagerDuty can add more.
const envelopeSchema = z.object({
  event: z.object({
    id: z.string().min(1),
    event_type: z.string().min(1),
    resource_type: z.string(),
    occurred_at: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 timestamp'),
    data: z.unknown(),
  }),
});

const incidentSchema = z.object({
  id: z.string().min(1),
  type: z.literal('incident'),
  title: z.string(),
  status: z.enum(['triggered', 'acknowledged', 'resolved']),
  html_url: z.string().default(''),
  number: z.number().int().optional(),
  urgency: z.enum(['high', 'low']).optional(),
  priority: z.object({ summary: z.string() }).nullable().optional(),
  service: reference,
  incident_key: z.string().nullable().optional(),
  created_at: z.string().optional(),
});

/** Parses a PagerDuty v3 webhook (one event per request) into a one-alert batch. Verify the signature first. */
export function parsePagerDuty(body: unknown): Result<{ batch: AlertBatch }> {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) return refuse(ALERT_REFUSAL.invalid, `PagerDuty payload: ${describeZodError(envelope.error)}`);
  const { event } = envelope.data;
  if (!(event.event_type in HANDLED_EVENTS)) {
    return refuse(
      ALERT_REFUSAL.ignored,
      `PagerDuty event ${event.event_type} is not handled (only ${Object.keys(HANDLED_EVENTS).join(', ')})`,
    );
  }
  const incident = incidentSchema.safeParse(event.data);
  if (!incident.success) {
    return refuse(ALERT_REFUSAL.invalid, `PagerDuty payload: ${describeZodError(incident.error, { prefix: ['event', 'data'] })}`);
  }
  const data = incident.data;
  const status = HANDLED_EVENTS[event.event_type as HandledEvent];
  const occurredAt = Date.parse(event.occurred_at);
  const createdAt = data.created_at !== undefined ? Date.parse(data.created_at) : Number.NaN;
  // PagerDuty's own priority ("P1") is the better severity hint; urgency (high/low) is the fallback.
  const severityWord = data.priority?.summary ?? data.urgency ?? null;
  const labels: Record<string, string> = { pd_service_id: data.service.id, pd_status: data.status };
  if (data.urgency) labels.urgency = data.urgency;
  if (data.priority) labels.priority = data.priority.summary;
  if (data.number !== undefined) labels.pd_incident_number = String(data.number);
  if (data.incident_key) labels.incident_key = data.incident_key;
  if (severityWord) labels.severity = severityWord;
  const alert: NormalizedAlert = {
    source: 'pagerduty',
    groupKey: `pagerduty:${data.id}`,
    fingerprint: data.id,
    status,
    service: data.service.summary || null,
    title: data.title,
    description: '',
    labels,
    signals: {},
    startsAt: Number.isNaN(createdAt) ? occurredAt : createdAt,
    endsAt: status === 'resolved' ? occurredAt : null,
    // Every event, a reopen included, is ordered by when it happened, not when the incident began.
    changedAt: occurredAt,
    links: data.html_url ? [{ title: 'PagerDuty incident', url: data.html_url }] : [],
    severityLabel: severityWord,
    deliveryId: event.id,
    pdStatus: data.status,
  };
  return { ok: true, batch: { source: 'pagerduty', alerts: [alert], truncatedAlerts: 0, upstream: { name: 'PagerDuty' } } };
}
