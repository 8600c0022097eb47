import { createHmac, timingSafeEqual } from 'node:crypto';
import { refuse, type Result } from '../../../../domain/result';

/** Slack's window: a request whose timestamp is further than this from now, either way, is refused. */
export const MAX_CLOCK_SKEW_S = 5 * 60;

const SIGNATURE = /^v0=[0-9a-f]{64}$/;
const TIMESTAMP = /^[0-9]{1,12}$/;

export interface SignedRequest {
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
}

/**
 * Slack's signing rules, stricter than Bolt's own check (which we keep behind this one):
 * 1. the timestamp is whole seconds, within 5 minutes of now in EITHER direction (Bolt refuses
 *    only old ones, so a request signed for the future could be replayed for its whole window);
 * 2. the signature is exactly `v0=` and 64 lowercase hex digits, nothing before or after
 *    (Bolt splits on "=" and ignores the rest, so `v0=<hex>=junk` passed);
 * 3. HMAC-SHA256(secret, "v0:{timestamp}:{raw body}"), compared in constant time.
 * Reasons name the rule, never the secret or the expected signature.
 */
export function verifySlackSignature(request: SignedRequest, secret: string, nowMs: number): Result<object> {
  const { timestamp, signature } = request;
  if (!timestamp || !TIMESTAMP.test(timestamp))
    return refuse('slack.bad_timestamp', 'X-Slack-Request-Timestamp is missing or not whole seconds.');
  const skew = Number(timestamp) - Math.floor(nowMs / 1000);
  if (Math.abs(skew) > MAX_CLOCK_SKEW_S) {
    return refuse(
      'slack.stale_timestamp',
      `X-Slack-Request-Timestamp is ${Math.abs(skew)} s in the ${skew > 0 ? 'future' : 'past'}; at most ${MAX_CLOCK_SKEW_S} s either way is accepted.`,
    );
  }
  if (!signature || !SIGNATURE.test(signature))
    return refuse('slack.bad_signature_format', 'X-Slack-Signature must be exactly v0= followed by 64 hex digits.');
  const expected = createHmac('sha256', secret).update(`v0:${timestamp}:`).update(request.rawBody).digest();
  const given = Buffer.from(signature.slice(3), 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return refuse('slack.bad_signature', "X-Slack-Signature does not match the body for this app's signing secret.");
  return { ok: true };
}
