import type { CustomRoute } from '@slack/bolt';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DeployWatcher } from '../../../app/deploys/deploy-watcher';
import type { Deploy, DeployWatch } from '../../../domain/deploys/deploy-watch';
import { plainText } from '../../../domain/phrase';
import type { Result } from '../../../domain/result';
import type { Logger } from '../../../logger';
import { isRedisUnreachable } from '../../outbound/redis/is-redis-unreachable';
import { parseDeployRequest, serviceChecker } from '../deploys/parse-deploy-request';
import { DEPLOYMENT_REFUSAL, parseDeploymentStatus } from '../deploys/parse-deployment-status';
import { verifyGitHubSignature } from '../deploys/verify-github-signature';
import { BodyTooLargeError, bearerMatches, readBody, sendJson } from './http-helpers';
import { requestIdOf } from './request-id';

export const DEPLOY_ROUTES = { deploys: '/deploys', github: '/webhooks/github' } as const;

export interface DeployRouteOptions {
  /** null: deploy watch cannot run (no signal source); both routes answer 503 saying so. */
  watcher: DeployWatcher | null;
  services: readonly string[];
  /** ALERT_WEBHOOK_TOKEN guards POST /deploys. */
  webhookToken: string | undefined;
  /** GITHUB_WEBHOOK_SECRET; without it POST /webhooks/github answers 503. */
  githubSecret: string | undefined;
  maxBodyBytes: number;
  log: Logger;
}

type Refuse = (status: number, error: string, reason: string, headers?: Record<string, string>) => void;

/** The watch as JSON (the answer to a deploy; snake_case like the request). */
export function watchJson(w: DeployWatch) {
  return {
    id: w.id,
    service: w.service,
    release: w.release,
    previous_release: w.previousRelease,
    environment: w.environment,
    source: w.source,
    state: w.state,
    started_at: new Date(w.startedAt).toISOString(),
    ends_at: new Date(w.endsAt).toISOString(),
    baseline: w.baseline?.values ?? null,
    latest: w.latest?.values ?? null,
    incident_id: w.incidentId,
  };
}

/**
 * `POST /deploys` and `POST /webhooks/github` (deployment_status). Order of checks, each with
 * its own answer and the request id:
 * 1. auth that needs no body: the bearer token (403 unset, 401 wrong); GitHub: 503 while
 *    GITHUB_WEBHOOK_SECRET is unset;
 * 2. Content-Type application/json (415), size (413), then GitHub's signature over the raw body (401);
 * 3. GitHub only: `ping` 200, other events and states 202 ignored with the reason;
 * 4. the body (400 naming the field, or the unknown service and the known ones);
 * 5. deploy watch available (503 without live signals), then 202 with the watch (200 when
 *    the same deploy is already watched: nothing starts twice).
 */
export function deployRoutes(options: DeployRouteOptions): CustomRoute[] {
  const route = (path: string, handle: (req: IncomingMessage, res: ServerResponse, refuse: Refuse) => Promise<void>): CustomRoute => ({
    path,
    method: ['POST'],
    handler: async (req, res) => {
      const requestId = requestIdOf(req, res);
      const refuse: Refuse = (status, error, reason, headers = {}) => {
        options.log.warn({ requestId, status, error, route: path, remote: req.socket.remoteAddress }, `deploy request refused: ${reason}`);
        sendJson(res, status, { error, reason, request_id: requestId }, { connection: 'close', ...headers });
      };
      try {
        await handle(req, res, refuse);
      } catch (error) {
        if (res.headersSent) return;
        if (isRedisUnreachable(error))
          return refuse(503, 'unavailable', 'The store did not answer; no watch was started. Retry later.', { 'retry-after': '5' });
        options.log.error({ err: error, requestId }, 'deploy request failed');
        refuse(500, 'internal', 'The deploy could not be recorded; see the bot log for this request id.');
      }
    },
  });
  const known = serviceChecker(options.services);

  return [
    route(DEPLOY_ROUTES.deploys, async (req, res, refuse) => {
      if (!options.webhookToken) return refuse(403, 'deploys_disabled', 'Deploys are refused: set ALERT_WEBHOOK_TOKEN.');
      if (!bearerMatches(req, options.webhookToken))
        return refuse(401, 'unauthorized', 'Send Authorization: Bearer <ALERT_WEBHOOK_TOKEN>.', { 'www-authenticate': 'Bearer' });
      const body = await readJson(req, refuse, options.maxBodyBytes);
      if (body === undefined) return;
      const parsed = parseDeployRequest(body.json, known);
      if (!parsed.ok) return refuse(400, 'invalid_deploy', plainText(parsed.reason));
      await startWatch(parsed.deploy, res, refuse);
    }),
    route(DEPLOY_ROUTES.github, async (req, res, refuse) => {
      const secret = options.githubSecret;
      if (!secret)
        return refuse(503, 'github_webhooks_disabled', 'GitHub webhooks are refused: set GITHUB_WEBHOOK_SECRET to the webhook secret.');
      const body = await readJson(req, refuse, options.maxBodyBytes, (raw) =>
        verifyGitHubSignature(raw, req.headers['x-hub-signature-256'], secret)
          ? null
          : 'X-Hub-Signature-256 does not match the body signed with GITHUB_WEBHOOK_SECRET',
      );
      if (body === undefined) return;
      const event = String(req.headers['x-github-event'] ?? '');
      if (event === 'ping') return sendJson(res, 200, { pong: true });
      if (event !== 'deployment_status')
        return sendJson(res, 202, { ignored: `event "${event.slice(0, 40)}": only deployment_status starts a deploy watch` });
      const parsed: Result<{ deploy: Deploy }> = await parseDeploymentStatus(body.json, known, (s) =>
        options.watcher ? options.watcher.lastRelease(s) : Promise.resolve(null),
      );
      if (!parsed.ok) {
        if (parsed.code === DEPLOYMENT_REFUSAL.ignored) return sendJson(res, 202, { ignored: plainText(parsed.reason) });
        return refuse(400, 'invalid_deploy', plainText(parsed.reason));
      }
      await startWatch(parsed.deploy, res, refuse);
    }),
  ];

  async function startWatch(deploy: Deploy, res: ServerResponse, refuse: Refuse): Promise<void> {
    if (!options.watcher)
      return refuse(503, 'deploy_watch_unavailable', 'Deploy watch needs live signals: set signals.prometheus.url or PROMETHEUS_URL.');
    const outcome = await options.watcher.start(deploy);
    sendJson(res, outcome.created ? 202 : 200, {
      watch: watchJson(outcome.watch),
      duplicate: !outcome.created,
      superseded: outcome.superseded ? { id: outcome.superseded.id, release: outcome.superseded.release } : null,
    });
  }
}

/** Content-Type, size, the signature over the raw bytes (when asked), then JSON. undefined: refused already. */
async function readJson(
  req: IncomingMessage,
  refuse: Refuse,
  limit: number,
  verify?: (raw: Buffer) => string | null,
): Promise<{ json: unknown } | undefined> {
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    refuse(
      415,
      'unsupported_media_type',
      `Send Content-Type: application/json (got ${mediaType ? JSON.stringify(mediaType.slice(0, 60)) : 'none'}).`,
    );
    return undefined;
  }
  let raw: Buffer;
  try {
    raw = await readBody(req, limit);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    refuse(413, 'too_large', `Bodies are limited to ${limit} bytes (alerts.max_body_bytes).`);
    return undefined;
  }
  const unsigned = verify?.(raw);
  if (unsigned) {
    refuse(401, 'bad_signature', unsigned);
    return undefined;
  }
  try {
    return { json: JSON.parse(raw.toString('utf8')) };
  } catch (error) {
    refuse(400, 'invalid_json', `The body is not JSON: ${(error as Error).message}`);
    return undefined;
  }
}
