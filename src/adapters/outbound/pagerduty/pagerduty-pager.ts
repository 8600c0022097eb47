import { Agent } from 'node:https';
import { api, event } from '@pagerduty/pdjs';
import { PRIVATE_TITLE } from '../../../domain/private-incident';
import type { EventPayloadV2 } from '@pagerduty/pdjs/build/src/events';
import type { OnCallResult, Pager, PagerIncident, PagerResult } from '../../../app/ports/pager';
import type { Severity } from '../../../domain/severity';
import type { Logger } from '../../../logger';
import { callWithRetry, type AttemptOutcome, type RetryPolicy } from './call-with-retry';
import type { OnCallPerson } from '../../../app/ports/pager';
import { parseOnCalls } from './parse-oncalls';

export type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';

export interface PagerDutyPagerOptions {
  /** Default Events v2 integration key; trigger() may pass a service's own. */
  routingKey?: string;
  /** REST API token, for on-call lookups. */
  token?: string;
  /** Events v2 base, https only (pdjs builds https://<host>/v2/enqueue). Default https://events.pagerduty.com */
  eventsUrl?: string;
  /** REST base. Default https://api.pagerduty.com */
  apiUrl?: string;
  /** Extra CA certificate(s) (PEM) to trust for these two hosts only, e.g. a test stand-in's self-signed cert. */
  ca?: string | Buffer | (string | Buffer)[];
  retry?: Partial<RetryPolicy>;
  logger: Logger;
}

export interface TriggerOptions {
  routingKey?: string;
  summary?: string;
  severity?: PagerDutySeverity;
  source?: string;
  links?: { href: string; text?: string }[];
  customDetails?: Record<string, unknown>;
}

/** P0..P3 → Events v2 payload.severity. */
export const PAGERDUTY_SEVERITY: Record<Severity, PagerDutySeverity> = { P0: 'critical', P1: 'error', P2: 'warning', P3: 'info' };

const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, attemptTimeoutMs: 5_000, backoffMs: 500, maxBackoffMs: 5_000 };

/**
 * PagerDuty through @pagerduty/pdjs: Events v2 with dedup_key = incident id (so a retried trigger,
 * or a trigger from another replica, is the same PagerDuty incident), and REST on-call lookups.
 * pdjs answers 4xx/5xx as ordinary responses and its own request timeout never aborts, so this
 * class checks statuses, aborts each attempt itself, and retries 429/5xx with backoff.
 */
export class PagerDutyPager implements Pager {
  private readonly eventsServer: string;
  private readonly apiUrl: string;
  private readonly agent: Agent | undefined;
  private readonly retry: RetryPolicy;
  private readonly log: Logger;

  constructor(private readonly options: PagerDutyPagerOptions) {
    const events = new URL(options.eventsUrl ?? 'https://events.pagerduty.com');
    if (events.protocol !== 'https:')
      throw new Error(`PAGERDUTY_EVENTS_URL must be https (pdjs always calls https://<host>/v2/enqueue); got ${events.protocol}`);
    // pdjs takes a "server" and prepends https://; a base path (a proxy) rides along in it.
    this.eventsServer = `${events.host}${events.pathname.replace(/\/+$/, '')}`;
    this.apiUrl = (options.apiUrl ?? 'https://api.pagerduty.com').replace(/\/+$/, '');
    // node-fetch (under pdjs) accepts an agent: trust is scoped to this client, never process-wide.
    this.agent = options.ca ? new Agent({ ca: options.ca, keepAlive: false }) : undefined;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.log = options.logger.child({ component: 'pagerduty' });
  }

  trigger(incident: PagerIncident, options: TriggerOptions = {}): Promise<PagerResult> {
    const links = options.links?.map((l) => ({ href: l.href, ...(l.text ? { text: l.text } : {}) }));
    return this.send({
      routing_key: options.routingKey ?? this.options.routingKey ?? '',
      event_action: 'trigger',
      dedup_key: incident.id,
      payload: {
        // A private incident's title stays out of PagerDuty, which people outside it read.
        summary: (options.summary ?? `[${incident.severity}] ${incident.id}: ${incident.private ? PRIVATE_TITLE : incident.title}`).slice(
          0,
          1024,
        ),
        source: options.source ?? incident.service ?? 'incident-bot',
        severity: options.severity ?? PAGERDUTY_SEVERITY[incident.severity],
        timestamp: new Date(incident.createdAt).toISOString(),
        ...(incident.service ? { component: incident.service } : {}),
        custom_details: { incident_id: incident.id, severity: incident.severity, ...options.customDetails },
      },
      ...(links?.length ? { links } : {}),
    });
  }

  acknowledge(incidentId: string, options: { routingKey?: string } = {}): Promise<PagerResult> {
    return this.send(this.followUp('acknowledge', incidentId, options.routingKey));
  }

  resolve(incidentId: string, options: { routingKey?: string } = {}): Promise<PagerResult> {
    return this.send(this.followUp('resolve', incidentId, options.routingKey));
  }

  /** Who is on call now for an escalation policy, level 1 first. */
  async currentOnCall(escalationPolicyId: string): Promise<OnCallResult> {
    if (!this.options.token) return { ok: false, status: null, attempts: 0, oncalls: [], error: 'PAGERDUTY_TOKEN is not set' };
    const result = await callWithRetry(this.retry, async (signal): Promise<AttemptOutcome<OnCallPerson[]>> => {
      const response = await api({
        url: `${this.apiUrl}/oncalls`,
        token: this.options.token,
        queryParameters: { 'escalation_policy_ids[]': [escalationPolicyId], 'include[]': ['users'], limit: '100' },
        ...this.transport(signal),
      });
      return { status: response.status, value: parseOnCalls(response.data), error: errorText(response.status, response.data) };
    });
    if (!result.ok)
      this.log.warn(
        { escalationPolicyId, status: result.status, attempts: result.attempts, error: result.error },
        'PagerDuty on-call lookup failed',
      );
    return {
      ok: result.ok,
      status: result.status,
      attempts: result.attempts,
      oncalls: result.value ?? [],
      ...(result.ok ? {} : { error: result.error }),
    };
  }

  private followUp(action: 'acknowledge' | 'resolve', incidentId: string, routingKey?: string): EventPayloadV2 {
    // Events v2 needs no payload for acknowledge/resolve; pdjs's type insists, the wire format does not.
    return { routing_key: routingKey ?? this.options.routingKey ?? '', event_action: action, dedup_key: incidentId } as EventPayloadV2;
  }

  private async send(data: EventPayloadV2): Promise<PagerResult> {
    const dedupKey = data.dedup_key!;
    if (!data.routing_key) return { ok: false, status: null, attempts: 0, dedupKey, error: 'no PagerDuty routing key configured' };
    const result = await callWithRetry(this.retry, async (signal): Promise<AttemptOutcome<unknown>> => {
      // Same body (same dedup_key) on every attempt: PagerDuty folds the retries into one incident.
      const response = await event({ server: this.eventsServer, data, ...this.transport(signal) });
      return { status: response.status, value: response.data, error: errorText(response.status, response.data) };
    });
    const log = this.log.child({ incidentId: dedupKey, action: data.event_action });
    if (result.ok) log.info({ attempts: result.attempts }, 'PagerDuty event accepted');
    else
      log.warn(
        { status: result.status, attempts: result.attempts, error: result.error },
        'PagerDuty event failed; the incident goes on in Slack without the page',
      );
    return { ok: result.ok, status: result.status, attempts: result.attempts, dedupKey, ...(result.ok ? {} : { error: result.error }) };
  }

  /**
   * Options pdjs passes through to node-fetch. requestTimeout 0 stops pdjs arming its own timer,
   * which aborts nothing and keeps the process alive for 30 s; retryTimeout spaces pdjs's built-in
   * 429 retries (up to 3, inside one of our attempts) by our backoff instead of 20 s.
   */
  private transport(signal: AbortSignal): { signal: AbortSignal; requestTimeout: number; retryTimeout: number } {
    return { signal, requestTimeout: 0, retryTimeout: this.retry.backoffMs, ...(this.agent ? { agent: this.agent } : {}) };
  }
}

function errorText(status: number, data: unknown): string | undefined {
  if (status >= 200 && status < 300) return undefined;
  const body = data as { message?: unknown; errors?: unknown; error?: { message?: unknown } } | null;
  const message = body?.message ?? body?.error?.message;
  const details = Array.isArray(body?.errors) ? ` (${body.errors.join('; ')})` : '';
  return `HTTP ${status}${message ? `: ${String(message)}` : ''}${details}`;
}
