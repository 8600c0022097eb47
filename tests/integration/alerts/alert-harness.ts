import { createHmac, randomUUID } from 'node:crypto';
import { startBot, type RunningBot, type StartBotOptions } from '../../support/start-bot';

export const ALERT_TOKEN = 'test-alert-token-0123456789';
export const PD_SECRET = 'test-pagerduty-secret-abcdef';

/** A bot with alert auth configured (tests override env to switch parts off). */
export function startAlertBot(options: StartBotOptions = {}): Promise<RunningBot> {
  return startBot({ ...options, env: { ALERT_WEBHOOK_TOKEN: ALERT_TOKEN, PAGERDUTY_WEBHOOK_SECRET: PD_SECRET, ...options.env } });
}

export interface AlertResponse {
  status: number;
  json: any;
  headers: Headers;
}

/** POSTs a body (object → JSON, string/Buffer as is) to /alerts/<kind> with the bearer token unless told otherwise. */
export async function postAlert(
  bot: RunningBot,
  kind: 'alertmanager' | 'generic' | 'pagerduty',
  body: unknown,
  opts: { token?: string | null; headers?: Record<string, string> } = {},
): Promise<AlertResponse> {
  const raw = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...opts.headers };
  const token = opts.token === undefined ? ALERT_TOKEN : opts.token;
  if (token !== null && kind !== 'pagerduty') headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${bot.baseUrl}/alerts/${kind}`, { method: 'POST', headers, body: raw });
  const text = await response.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, json, headers: response.headers };
}

export function pdSignature(raw: string, secret = PD_SECRET): string {
  return `v1=${createHmac('sha256', secret).update(raw).digest('hex')}`;
}

/** A signed PagerDuty v3 delivery. */
export async function postPagerDuty(bot: RunningBot, body: unknown, secret = PD_SECRET): Promise<AlertResponse> {
  const raw = JSON.stringify(body);
  return postAlert(bot, 'pagerduty', raw, { headers: { 'x-pagerduty-signature': pdSignature(raw, secret) } });
}

export function pdEvent(opts: {
  eventId?: string;
  type?: string;
  incidentId: string;
  status?: 'triggered' | 'acknowledged' | 'resolved';
  priority?: string;
  title?: string;
  /** When PagerDuty says the event happened (ISO 8601); now by default. */
  occurredAt?: string;
}) {
  return {
    event: {
      id: opts.eventId ?? randomUUID(),
      event_type: opts.type ?? 'incident.triggered',
      resource_type: 'incident',
      occurred_at: opts.occurredAt ?? new Date().toISOString(),
      agent: null,
      client: null,
      data: {
        id: opts.incidentId,
        type: 'incident',
        self: `https://api.pagerduty.com/incidents/${opts.incidentId}`,
        html_url: `https://example.pagerduty.com/incidents/${opts.incidentId}`,
        number: 42,
        status: opts.status ?? 'triggered',
        incident_key: null,
        created_at: new Date().toISOString(),
        title: opts.title ?? 'Checkout is down',
        service: { id: 'PSVC001', type: 'service_reference', summary: 'checkout' },
        urgency: 'high',
        priority: opts.priority ? { id: 'PPRIO', type: 'priority_reference', summary: opts.priority } : null,
      },
    },
  };
}

export interface AmAlertSpec {
  fingerprint: string;
  status?: 'firing' | 'resolved';
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** ISO 8601; now by default (and the resolution's end is now). */
  startsAt?: string;
  endsAt?: string;
}

/** An Alertmanager v4 webhook body for one group. */
export function amWebhook(groupKey: string, alerts: AmAlertSpec[], extra: Record<string, unknown> = {}) {
  const now = new Date().toISOString();
  const built = alerts.map((a) => ({
    status: a.status ?? 'firing',
    labels: { alertname: 'HighErrorRate', service: 'checkout', ...a.labels },
    annotations: { summary: 'Checkout error rate high', ...a.annotations },
    startsAt: a.startsAt ?? now,
    endsAt: a.endsAt ?? (a.status === 'resolved' ? now : '0001-01-01T00:00:00Z'),
    generatorURL: 'http://prometheus.local/graph',
    fingerprint: a.fingerprint,
  }));
  return {
    receiver: 'incident-bot',
    status: built.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    alerts: built,
    groupLabels: { alertname: 'HighErrorRate' },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager.local',
    version: '4',
    groupKey,
    truncatedAlerts: 0,
    ...extra,
  };
}

export function generic(dedupKey: string, extra: Record<string, unknown> = {}) {
  return { dedup_key: dedupKey, title: `Generic ${dedupKey}`, service: 'checkout', ...extra };
}

/** The incident as the read API shows it, timeline included. */
export async function incident(bot: RunningBot, id: string): Promise<any> {
  const res = await bot.api(`/api/incidents/${id}`);
  if (res.status !== 200) throw new Error(`GET /api/incidents/${id} → ${res.status}`);
  return res.json;
}

export async function allIncidents(bot: RunningBot): Promise<any[]> {
  return (await bot.api('/api/incidents?status=all&limit=500')).json.incidents;
}

/** The last text Slack was given for an incident's announcement (post or update), as one string. */
export function lastDrawn(bot: RunningBot, id: string): string | null {
  const calls = bot.slack.calls.filter(
    (c) =>
      (c.method === 'chat.postMessage' || c.method === 'chat.update') &&
      JSON.stringify(c.args.blocks ?? '').includes(id) &&
      !c.args.thread_ts,
  );
  const last = calls[calls.length - 1];
  return last ? JSON.stringify(last.args.blocks) : null;
}
