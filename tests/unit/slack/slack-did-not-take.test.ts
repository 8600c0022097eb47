import { describe, expect, it } from 'vitest';
import { slackDidNotTake } from '../../../src/adapters/outbound/slack/slack-errors';

describe('slackDidNotTake', () => {
  it.each([
    ['ratelimited', true],
    ['unreachable', true],
    ['http_503', true],
    ['http_500', true],
    ['internal_error', true],
    ['fatal_error', true],
    ['service_unavailable', true],
    ['request_timeout', true],
    ['channel_not_found', false],
    ['not_in_channel', false],
    ['invalid_blocks', false],
    ['invalid_auth', false],
  ])('%s → %s', (code, expected) => {
    expect(slackDidNotTake(code)).toBe(expected);
  });
});
