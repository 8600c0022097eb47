import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyPagerDutySignature } from '../../../src/adapters/inbound/alerts/verify-pagerduty-signature';

const body = '{"event":{"id":"01DFTR5HQ2RB0QYLR8GHV9UVSC","event_type":"incident.triggered"}}';
const secret = 'current-secret';
const sign = (payload: string | Buffer, key: string) => `v1=${createHmac('sha256', key).update(payload).digest('hex')}`;

describe('verifyPagerDutySignature', () => {
  it('accepts the published HMAC-SHA256 test vector', () => {
    // RFC-style well-known vector: HMAC_SHA256("key", "The quick brown fox jumps over the lazy dog").
    const header = 'v1=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8';
    expect(verifyPagerDutySignature('The quick brown fox jumps over the lazy dog', header, 'key')).toBe(true);
    expect(verifyPagerDutySignature('The quick brown fox jumps over the lazy dog', header, 'other')).toBe(false);
  });

  it.each<[string, string | Buffer, string | undefined, boolean]>([
    ['valid signature', body, sign(body, secret), true],
    ['valid signature, Buffer body', Buffer.from(body), sign(body, secret), true],
    ['upper-case hex', body, sign(body, secret).toUpperCase().replace('V1=', 'v1='), true],
    ['rotation: second of two matches', body, `${sign(body, 'old-secret')},${sign(body, secret)}`, true],
    ['rotation: first of two matches, with spaces', body, ` ${sign(body, secret)} , ${sign(body, 'new-secret')}`, true],
    ['only other secrets', body, `${sign(body, 'old-secret')},${sign(body, 'new-secret')}`, false],
    ['tampered body', body.replace('triggered', 'resolved'), sign(body, secret), false],
    ['re-serialised body', JSON.stringify(JSON.parse(body), null, 2), sign(body, secret), false],
    ['missing header', body, undefined, false],
    ['empty header', body, '', false],
    ['no version prefix', body, sign(body, secret).slice(3), false],
    ['unknown version', body, sign(body, secret).replace('v1=', 'v2='), false],
    ['truncated hex', body, sign(body, secret).slice(0, -2), false],
    ['non-hex characters', body, `v1=${'z'.repeat(64)}`, false],
    ['garbage', body, ',,,=,v1=', false],
  ])('%s → %s', (_name, raw, header, expected) => {
    expect(verifyPagerDutySignature(raw, header, secret)).toBe(expected);
  });

  it('refuses everything when no secret is configured', () => {
    expect(verifyPagerDutySignature(body, sign(body, ''), '')).toBe(false);
  });
});
