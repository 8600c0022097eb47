import type { IncomingMessage } from 'node:http';
import type { Result } from '../../../domain/result';
import { bearerMatches } from '../http/http-helpers';
import type { AlertBatch } from '../../../domain/alert';

/** The secrets alert senders prove themselves with (from the environment, through config). */
export interface AlertSecrets {
  /** ALERT_WEBHOOK_TOKEN: the bearer token of Alertmanager, generic senders and deploy hooks. */
  webhookToken: string | undefined;
  /** PAGERDUTY_WEBHOOK_SECRET: signs PagerDuty v3 webhooks. */
  pagerDutySecret: string | undefined;
}

/** Why a delivery is refused before its payload is looked at: the HTTP answer. */
export interface AuthRefusal {
  status: 401 | 403;
  error: string;
  reason: string;
  headers?: Record<string, string>;
}

/**
 * One alert source: everything the routes, the CLI and the intake know about it, in one
 * place. Register it in `alert-sources.ts`; the name then is an `AlertSource` and the
 * compiler checks every table keyed by it.
 */
export interface AlertSourceDefinition<Name extends string = string> {
  name: Name;
  /** The HTTP path its webhooks are POSTed to. */
  route: `/alerts/${string}`;
  authenticate: {
    /** Checked before the body is read: 403 when the source is disabled, 401 when the credential is wrong. */
    request(req: IncomingMessage, secrets: AlertSecrets): AuthRefusal | null;
    /** Checked over the raw body before parsing (signatures). */
    body?(req: IncomingMessage, raw: Buffer, secrets: AlertSecrets): AuthRefusal | null;
  };
  /**
   * Whether a JSON body is this source's payload, for the CLI where a file could be any of them.
   * Specific: only keys and values no other known sender uses (a Grafana webhook also has
   * `alerts` and `groupKey`, and must not be taken for Alertmanager).
   */
  detect(body: Record<string, unknown>): boolean;
  /** Validates and normalizes; refusals name the bad field. */
  parse(body: unknown): Result<{ batch: AlertBatch<Name> }>;
  /** How `classify --format` and the docs describe the payload. */
  describe: string;
}

/** Alertmanager and generic senders: `Authorization: Bearer <ALERT_WEBHOOK_TOKEN>`. */
export function bearerTokenAuth(req: IncomingMessage, secrets: AlertSecrets): AuthRefusal | null {
  if (!secrets.webhookToken) return { status: 403, error: 'alerts_disabled', reason: 'alerts disabled: set ALERT_WEBHOOK_TOKEN.' };
  if (!bearerMatches(req, secrets.webhookToken))
    return {
      status: 401,
      error: 'unauthorized',
      reason: 'Send Authorization: Bearer <ALERT_WEBHOOK_TOKEN>.',
      headers: { 'www-authenticate': 'Bearer' },
    };
  return null;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
