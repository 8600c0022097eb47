import { isRedisUnreachable } from '../../outbound/redis/is-redis-unreachable';
import type { CustomRoute } from '@slack/bolt';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AlertIntake } from '../../../app/alert-intake';
import type { Logger } from '../../../logger';
import type { Metrics } from '../../../metrics';
import type { AlertSourceDefinition } from '../alerts/alert-source';
import { ALERT_SOURCE_LIST, type AlertSource } from '../alerts/alert-sources';
import { ALERT_REFUSAL } from '../alerts/normalized-alert';
import { ConcurrencyGate, GateFullError } from './concurrency-gate';
import { BodyTooLargeError, readBody, sendJson } from './http-helpers';
import { plainText } from '../../../domain/phrase';
import { requestIdOf } from './request-id';

export interface AlertRouteOptions {
  intake: AlertIntake;
  /** ALERT_WEBHOOK_TOKEN; without it Alertmanager and generic alerts are refused. */
  webhookToken: string | undefined;
  /** PAGERDUTY_WEBHOOK_SECRET; without it PagerDuty deliveries are refused. */
  pagerDutySecret: string | undefined;
  maxBodyBytes: number;
  /** Deliveries processed at once and allowed to wait (alerts.max_concurrent_intake / max_queued_intake). */
  maxConcurrent: number;
  maxQueued: number;
  log: Logger;
  metrics: Metrics;
}

const RETRY_AFTER_S = '5';

/**
 * POST <route> of every registered alert source. Order of checks, each with its own answer:
 * 1. the source's auth that needs no body (bearer token; 403 when disabled, 401 when wrong);
 * 2. Content-Type is application/json (415), then size, before parsing (413);
 * 3. the source's auth over the raw body, e.g. PagerDuty's signature (401);
 * 4. JSON and payload shape (400 naming the field; ignored PagerDuty events 202);
 * 5. intake, at most `maxConcurrent` at once: 202 accepted, 200 duplicate; 503 + Retry-After
 *    when Redis does not answer, or when more than `maxQueued` deliveries already wait.
 */
export function alertRoutes(options: AlertRouteOptions): CustomRoute[] {
  const gate = new ConcurrencyGate(options.maxConcurrent, options.maxQueued);
  return ALERT_SOURCE_LIST.map(
    (source): CustomRoute => ({
      path: source.route,
      method: ['POST'],
      handler: async (req, res) => {
        try {
          await handle(source, req, res, options, gate);
        } catch (error) {
          // A broken upload (client aborted, bad encoding) is the sender's problem, not a 500.
          const requestId = requestIdOf(req, res);
          options.log.warn({ err: error, source: source.name, requestId }, 'alert request refused: the body could not be read');
          if (!res.headersSent)
            sendJson(
              res,
              400,
              { error: 'bad_request', reason: 'The request body could not be read.', request_id: requestId },
              { connection: 'close' },
            );
        }
      },
    }),
  );
}

async function handle(
  source: AlertSourceDefinition<AlertSource>,
  req: IncomingMessage,
  res: ServerResponse,
  options: AlertRouteOptions,
  gate: ConcurrencyGate,
): Promise<void> {
  const { intake, metrics } = options;
  const log = options.log.child({ source: source.name });
  const count = (outcome: string, n = 1) => metrics.alertsReceived.inc({ source: source.name, outcome }, n);
  const requestId = requestIdOf(req, res);
  const refuse = (status: number, error: string, reason: string, headers: Record<string, string> = {}) => {
    count(error);
    // One line per refused request, with the id the sender also gets; never the body or the token.
    log.warn({ requestId, status, error, remote: req.socket.remoteAddress }, `alert request refused: ${reason}`);
    // The body may be unread (auth or size refused first); close so a large upload stops.
    sendJson(res, status, { error, reason, request_id: requestId }, { connection: 'close', ...headers });
  };
  const secrets = { webhookToken: options.webhookToken, pagerDutySecret: options.pagerDutySecret };

  const unauthenticated = source.authenticate.request(req, secrets);
  if (unauthenticated) return refuse(unauthenticated.status, unauthenticated.error, unauthenticated.reason, unauthenticated.headers);

  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'application/json')
    return refuse(
      415,
      'unsupported_media_type',
      `Send Content-Type: application/json (got ${mediaType ? JSON.stringify(mediaType.slice(0, 60)) : 'none'}).`,
    );

  let raw: Buffer;
  try {
    raw = await readBody(req, options.maxBodyBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError)
      return refuse(413, 'too_large', `Alert bodies are limited to ${options.maxBodyBytes} bytes (alerts.max_body_bytes).`);
    throw error;
  }
  const unsigned = source.authenticate.body?.(req, raw, secrets);
  if (unsigned) return refuse(unsigned.status, unsigned.error, unsigned.reason, unsigned.headers);

  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    return refuse(400, 'invalid_json', `The body is not JSON: ${(error as Error).message}`);
  }
  const parsed = source.parse(body);
  if (!parsed.ok) {
    if (parsed.code === ALERT_REFUSAL.ignored) {
      count('ignored');
      return sendJson(res, 202, { ignored: plainText(parsed.reason), incidents: [], accepted: 0 });
    }
    return refuse(400, 'invalid_payload', plainText(parsed.reason));
  }

  try {
    const result = await gate.run(() => intake.receive(parsed.batch));
    count(result.outcome, parsed.batch.alerts.length);
    const status = result.outcome === 'duplicate' ? 200 : 202;
    sendJson(res, status, {
      incidents: result.incidents,
      opened: result.opened,
      accepted: result.accepted,
      unmatched: result.unmatched,
      // Older than the alert's last recorded change (docs/alerts-order.md): dropped, never retried.
      stale: result.stale,
      duplicate: result.outcome === 'duplicate',
    });
  } catch (error) {
    if (error instanceof GateFullError) {
      // A storm beyond what we queue: nothing was recorded; Alertmanager and PagerDuty retry.
      log.warn({ load: gate.load }, 'alert intake busy; answered 503 so the sender retries');
      return refuse(503, 'busy', 'Too many alerts are being processed; nothing was recorded. Retry shortly.', { 'retry-after': '1' });
    }
    // Whatever failed here, the payload was valid: the sender should try again later.
    // An unreachable Redis is logged once per outage (watch-redis-health.ts), not per delivery.
    if (isRedisUnreachable(error)) log.debug({ err: error }, 'Redis unreachable; answered 503 so the sender retries');
    else log.error({ err: error }, 'alert intake failed; answered 503 so the sender retries');
    refuse(503, 'unavailable', 'The incident store did not answer; the alert was not recorded. Retry later.', {
      'retry-after': RETRY_AFTER_S,
    });
  }
}
