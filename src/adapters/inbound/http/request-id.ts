import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { currentRequestId } from '../../../request-context';

const KEY = Symbol.for('incident-bot.request-id');

/**
 * The id of this request, made once and shown in its answer (`x-request-id`) so a person
 * holding a refusal can find its log line. Never taken from the caller: a client-chosen id
 * could forge or hide log lines.
 */
export function requestIdOf(req: IncomingMessage, res?: ServerResponse): string {
  const tagged = req as IncomingMessage & { [KEY]?: string };
  // One id per request: the one its log lines already carry (request-context), else a new one.
  tagged[KEY] ??= currentRequestId() ?? randomUUID();
  if (res && !res.headersSent && !res.hasHeader('x-request-id')) res.setHeader('x-request-id', tagged[KEY]);
  return tagged[KEY];
}
