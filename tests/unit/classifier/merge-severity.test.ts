import { describe, expect, it } from 'vitest';
import { raiseOnly } from '../../../src/domain/classifier/merge-severity';

describe('raiseOnly', () => {
  it.each([
    ['P2', 'P1', 'P1'],
    ['P3', 'P0', 'P0'],
    ['P1', 'P1', null],
    ['P1', 'P2', null],
    ['P0', 'P3', null],
  ] as const)('current %s, proposed %s → %s', (current, proposed, expected) => {
    expect(raiseOnly(current, proposed)).toBe(expected);
  });
});
