import { describe, expect, it } from 'vitest';
import { openOrderScore } from '../../../src/domain/open-order';

const T = Date.UTC(2026, 10, 21, 10, 0, 0);

describe('openOrderScore: most severe first, then oldest first', () => {
  it.each([
    { first: ['P0', T + 86_400_000], second: ['P1', T], why: 'a newer P0 before an older P1' },
    { first: ['P1', T], second: ['P1', T + 1], why: 'same severity: the older first' },
    { first: ['P2', Date.UTC(2099, 0, 1)], second: ['P3', 0], why: 'age never outweighs severity' },
  ] as const)('$why', ({ first, second }) => {
    expect(openOrderScore(first[0], first[1])).toBeLessThan(openOrderScore(second[0], second[1]));
  });

  it('is exact: the createdAt can be read back from the score', () => {
    expect(openOrderScore('P3', T) - openOrderScore('P3', 0)).toBe(T);
  });
});
