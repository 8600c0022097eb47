import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../src/domain/duration';
import { dayKey, formatIncidentId, normalizeIncidentId } from '../../../src/domain/incident-id';

describe('incident ids', () => {
  it('formats INC-YYYYMMDD-NNN in UTC, growing past 999', () => {
    expect(dayKey(Date.UTC(2026, 10, 21, 23, 59))).toBe('20261121');
    expect(formatIncidentId('20261121', 7)).toBe('INC-20261121-007');
    expect(formatIncidentId('20261121', 1234)).toBe('INC-20261121-1234');
  });
  it.each([
    ['inc-20261121-001', 'INC-20261121-001'],
    ['INC-20261121-001', 'INC-20261121-001'],
    ['INC-2026-001', null],
    ['hello', null],
    ['INC-20261121-01', null],
  ])('normalizes %s', (input, expected) => {
    expect(normalizeIncidentId(input)).toBe(expected);
  });
});

describe('durations', () => {
  it.each([
    ['30s', 30_000],
    ['15m', 900_000],
    ['1h30m', 5_400_000],
    ['7d', 604_800_000],
    ['1w', 604_800_000],
    ['250ms', 250],
  ])('parses %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
  it.each(['', '15', 'm', '1.5h', '-5m', '5 minutes'])('refuses %j', (text) => expect(parseDuration(text)).toBeNull());
  it.each([
    [45_000, '45s'],
    [4 * 60_000, '4m'],
    [65 * 60_000, '1h 5m'],
    [3 * 86_400_000, '3d'],
  ])('formats %i', (ms, text) => expect(formatDuration(ms)).toBe(text));
});
