import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Checks `X-PagerDuty-Signature`: comma-separated `v1=<hex HMAC-SHA256 of the raw body>`.
 * PagerDuty sends one signature per active secret while a secret is rotated, so ANY
 * match is enough. Needs the body exactly as received (re-serialised JSON will not match).
 */
export function verifyPagerDutySignature(rawBody: Buffer | string, header: string | undefined, secret: string): boolean {
  if (!header || !secret) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  let matched = false;
  for (const part of header.split(',')) {
    const [version, hex] = part.trim().split('=', 2);
    if (version !== 'v1' || hex === undefined || !/^[0-9a-fA-F]{64}$/.test(hex)) continue;
    const given = Buffer.from(hex, 'hex');
    // Keep comparing after a match so the time taken does not say which signature matched.
    if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
  }
  return matched;
}
