import { plainText } from '../../../../domain/phrase';
import type { HTTPReceiver } from '@slack/bolt';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../../../logger';
import type { Metrics } from '../../../../metrics';
import { BodyTooLargeError, readBody, sendJson } from '../../http/http-helpers';
import { requestIdOf } from '../../http/request-id';
import { checkInstallation, type Installation } from './check-installation';
import { mediaTypeOf, readSlackPayload } from './read-slack-payload';
import { verifySlackSignature } from './verify-slack-signature';

export interface SlackGateOptions {
  signingSecret: string;
  installation: () => Installation | null;
  log: Logger;
  metrics: Metrics;
  bodyLimit?: number;
  now?: () => number;
}

const STATUS: Record<string, number> = {
  'slack.unsupported_media_type': 415,
  'slack.too_large': 413,
  'slack.malformed_payload': 400,
  'slack.unknown_payload': 400,
  'slack.unreadable': 400,
  'slack.foreign_team': 403,
  'slack.foreign_app': 403,
  'slack.installation_unknown': 503,
};

/**
 * Every request to /slack/events passes here before Bolt sees it. Order of checks:
 * 1. Content-Type is a form or JSON (415), before reading;
 * 2. the body is read up to the limit (413);
 * 3. timestamp window and exact signature (401, verify-slack-signature.ts);
 * 4. the payload is one Slack sends, with the fields Bolt reads first (400), so nothing
 *    malformed can leave a request unanswered;
 * 5. it is for this workspace and this app (403; 503 while they are not known yet).
 * Each refusal is answered at once with its reason and request id, logged once, and counted.
 * What passes goes on to Bolt with the body already read (Bolt reuses `rawBody`).
 */
export function guardSlackEndpoint(receiver: HTTPReceiver, endpoint: string, options: SlackGateOptions): void {
  const inner = receiver.requestListener;
  const log = options.log.child({ component: 'slack-gate' });
  receiver.requestListener = (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== endpoint || req.method !== 'POST') return inner(req, res);
    void admit(req, res, options, log).then(
      (admitted) => admitted && inner(req, res),
      (error) => {
        log.error({ err: error, requestId: requestIdOf(req) }, 'Slack request gate failed');
        if (!res.headersSent)
          sendJson(res, 500, { error: 'internal', reason: 'The request could not be checked.', request_id: requestIdOf(req) });
      },
    );
  };
}

async function admit(req: IncomingMessage, res: ServerResponse, options: SlackGateOptions, log: Logger): Promise<boolean> {
  const requestId = requestIdOf(req, res);
  const refuse = (code: string, reason: string, status = STATUS[code] ?? 401) => {
    options.metrics.slackRequestsRefused.inc({ reason: code });
    // Which check failed and where from; never the headers or body (they carry the signature).
    log.warn({ requestId, code, status, remote: req.socket.remoteAddress }, `Slack request refused: ${reason}`);
    sendJson(res, status, { error: code, reason, request_id: requestId }, { connection: 'close' });
    return false;
  };

  const mediaType = mediaTypeOf(req.headers['content-type']);
  if (mediaType !== 'application/x-www-form-urlencoded' && mediaType !== 'application/json') {
    return refuse(
      'slack.unsupported_media_type',
      'Content-Type must be application/x-www-form-urlencoded (commands, interactivity) or application/json (events).',
    );
  }
  let raw: Buffer;
  try {
    raw = await readBody(req, options.bodyLimit ?? 4 * 1024 * 1024);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return refuse('slack.too_large', error.message);
    return refuse('slack.unreadable', 'The request body could not be read.');
  }
  const signed = verifySlackSignature(
    { timestamp: header(req, 'x-slack-request-timestamp'), signature: header(req, 'x-slack-signature'), rawBody: raw },
    options.signingSecret,
    (options.now ?? Date.now)(),
  );
  if (!signed.ok) return refuse(signed.code, plainText(signed.reason), 401);
  const payload = readSlackPayload(mediaType, raw.toString('utf8'));
  if (!payload.ok) return refuse(payload.code, plainText(payload.reason));
  const installation = options.installation();
  if (!installation && payload.facts.kind !== 'url_verification' && payload.facts.kind !== 'ssl_check') {
    return refuse('slack.installation_unknown', 'The bot does not know its workspace yet (auth.test failed); try again shortly.');
  }
  if (installation) {
    const ours = checkInstallation(payload.facts, installation);
    if (!ours.ok) return refuse(ours.code, plainText(ours.reason));
  }
  // Bolt buffers the body itself unless it is already there, and compares Content-Type exactly.
  (req as IncomingMessage & { rawBody?: Buffer }).rawBody = raw;
  req.headers['content-type'] = mediaType;
  return true;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
