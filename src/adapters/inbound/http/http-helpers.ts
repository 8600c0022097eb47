import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload), ...headers });
  res.end(payload);
}

export function sendError(res: ServerResponse, status: number, error: string, reason: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error, reason }, headers);
}

/** Constant-time comparison of a bearer token, whatever the lengths. */
export function bearerMatches(req: IncomingMessage, expected: string): boolean {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match) return false;
  const given = Buffer.from(match[1]!.trim());
  const wanted = Buffer.from(expected);
  // Compare equal-length buffers so the time taken says nothing about the token.
  const padded = Buffer.alloc(wanted.length);
  given.copy(padded, 0, 0, Math.min(given.length, wanted.length));
  return timingSafeEqual(padded, wanted) && given.length === wanted.length;
}

/**
 * The read API's door: refused (403) while API_TOKEN is unset, 401 without the right
 * bearer token. Answers the refusal itself; true means go on.
 */
export function allowReadApi(req: IncomingMessage, res: ServerResponse, apiToken: string | undefined): boolean {
  if (!apiToken) {
    sendError(res, 403, 'api_disabled', 'The read API is off: set API_TOKEN to enable it.');
    return false;
  }
  if (!bearerMatches(req, apiToken)) {
    sendError(res, 401, 'unauthorized', 'Send Authorization: Bearer <API_TOKEN>.', { 'www-authenticate': 'Bearer' });
    return false;
  }
  return true;
}

export class BodyTooLargeError extends Error {
  readonly code = 'http.body_too_large';
}

/** Reads a request body up to `limit` bytes; the declared length is checked before reading anything. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError(`body of ${declared} bytes exceeds ${limit}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLargeError(`body exceeds ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
