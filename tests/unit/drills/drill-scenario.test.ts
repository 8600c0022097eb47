import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseDrillScenario } from '../../../src/domain/drills/drill-scenario';
import { plainText } from '../../../src/domain/phrase';

const valid = {
  title: 'Checkout errors',
  service: 'checkout',
  steps: [
    { after: '0s', fire: { alert: 'HighErrors', signals: { error_rate: 18 } } },
    { after: '10m', resolve: { alert: 'HighErrors' } },
  ],
  rollback: { runners: [{ name: 'primary', outcome: 'success', takes: '2m' }] },
};

describe('drill scenarios', () => {
  it('every example under examples/drills is a valid scenario', () => {
    const files = readdirSync('examples/drills').filter((f) => f.endsWith('.yml'));
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) {
      const result = parseDrillScenario(file.replace(/\.yml$/, ''), parse(readFileSync(`examples/drills/${file}`, 'utf8')));
      expect(result.ok, `${file}: ${result.ok ? '' : result.reason}`).toBe(true);
    }
  });

  it('reads durations, defaults and step order', () => {
    const result = parseDrillScenario('quick', { ...valid, steps: [...valid.steps].reverse() });
    if (!result.ok) throw new Error(plainText(result.reason));
    expect(result.scenario.steps.map((s) => [s.kind, s.afterMs])).toEqual([
      ['fire', 0],
      ['resolve', 600_000],
    ]);
    expect(result.scenario.page).toBe(false);
    expect(result.scenario.rollback).toMatchObject({
      level: 'component',
      verification: 'pass',
      runners: [{ name: 'primary', outcome: 'success', takesMs: 120_000 }],
    });
  });

  it.each([
    ['an unknown key', { ...valid, pages: true }, /unknown key "pages"/],
    ['a bad duration', { ...valid, steps: [{ after: 'soon', fire: { alert: 'A' } }] }, /steps\[0\]\.after: must be a duration/],
    [
      'a step that both fires and resolves',
      { ...valid, steps: [{ after: '0s', fire: { alert: 'A' }, resolve: { alert: 'A' } }] },
      /exactly one of fire:, resolve:/,
    ],
    [
      'a resolve before its fire',
      {
        ...valid,
        steps: [
          { after: '0s', fire: { alert: 'A' } },
          { after: '1m', resolve: { alert: 'B' } },
        ],
      },
      /"B" is resolved before any step fires it/,
    ],
    ['no runner', { ...valid, rollback: { runners: [] } }, /rollback\.runners: name at least the primary runner/],
    [
      'a bad outcome',
      { ...valid, rollback: { runners: [{ name: 'p', outcome: 'maybe' }] } },
      /rollback\.runners\[0\]\.outcome: expected "success" or "failure"/,
    ],
    ['a missing title', { ...valid, title: undefined }, /title: required/],
    ['a speed below real time', { ...valid, speed: 0.5 }, /speed: must be at least 1/],
  ])('refuses %s, naming the key', (_what, raw, reason) => {
    const result = parseDrillScenario('broken', raw);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe('drill.bad_scenario');
      expect(result.reason).toMatch(/^broken: /);
      expect(result.reason).toMatch(reason);
    }
  });

  it('names every bad key at once, not just the first', () => {
    const result = parseDrillScenario('many', { service: 'Bad Name', steps: [], rollback: {} });
    expect(result.ok).toBe(false);
    if (!result.ok) for (const key of ['title', 'service', 'steps', 'rollback.runners']) expect(result.reason).toContain(`${key}:`);
  });
});
