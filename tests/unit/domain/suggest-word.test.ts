import { describe, expect, it } from 'vitest';
import { STATUSES } from '../../../src/domain/lifecycle';
import { readSeverityWord } from '../../../src/domain/words/read-severity-word';
import { editDistance, suggestWord } from '../../../src/domain/words/suggest-word';

describe('suggestWord: the status a typo meant', () => {
  it.each([
    ['monitorng', 'monitoring'],
    ['MONITORNG', 'monitoring'],
    ['identifed', 'identified'],
    ['idnetified', 'identified'],
    ['investigatng', 'investigating'],
    ['resovled', 'resolved'],
    ['closd', 'closed'],
    ['monitoring', 'monitoring'],
    // Ordinary first words of a free-text update are not typos of a status.
    ['still', null],
    ['rolled', null],
    ['monitor', null],
    ['the', null],
    ['investigate', null],
    ['m', null],
    ['<!channel>', null],
    ['\u200bmonitorng', 'monitoring'],
  ])('%j → %j', (typed, expected) => {
    expect(suggestWord(typed, STATUSES)).toBe(expected);
  });
});

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', 'abc', 0],
    ['abc', 'acb', 1],
    ['kitten', 'sitting', 3],
    ['monitorng', 'monitoring', 1],
  ])('%j ↔ %j = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('readSeverityWord', () => {
  it.each([
    ['P1', { kind: 'severity', severity: 'P1' }],
    ['p0', { kind: 'severity', severity: 'P0' }],
    ['P5', { kind: 'invalid', suggestion: 'P3' }],
    ['P12', { kind: 'invalid', suggestion: 'P3' }],
    ['sev1', { kind: 'invalid', suggestion: 'P1' }],
    ['SEV-2', { kind: 'invalid', suggestion: 'P2' }],
    ['s0', { kind: 'invalid', suggestion: 'P0' }],
    ['P!', { kind: 'invalid', suggestion: 'P1' }],
    ['PO', { kind: 'invalid', suggestion: 'P0' }],
    ['checkout', { kind: 'none' }],
    ['Payments', { kind: 'none' }],
    ['', { kind: 'none' }],
  ])('%j → %j', (word, expected) => {
    expect(readSeverityWord(word)).toEqual(expected);
  });
});
