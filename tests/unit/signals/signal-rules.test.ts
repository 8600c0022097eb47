import { describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITY_RULES } from '../../../src/domain/classifier/default-rules';
import { escapePromqlString, expandSignalQuery } from '../../../src/domain/signals/escape-promql';
import { describeTrend, formatSignalValue } from '../../../src/domain/signals/format-signal-value';
import { judgeRecovery, lowestThresholds } from '../../../src/domain/signals/judge-recovery';
import { mergeSignals } from '../../../src/domain/signals/merge-signals';
import { meetsCondition } from '../../../src/domain/signals/signal-condition';
import { snapshotOf, type SignalSeries, type SignalSnapshot } from '../../../src/domain/signals/signal-reading';

describe('PromQL escaping of a service name', () => {
  it.each([
    ['checkout', 'checkout'],
    ['a"b', 'a\\"b'],
    ['back\\slash', 'back\\\\slash'],
    ['line\nbreak', 'line\\nbreak'],
  ])('%j → %j', (input, escaped) => expect(escapePromqlString(input)).toBe(escaped));

  it.each([
    ['a literal matcher keeps regex characters', 'x{service="{service}"}', 'a.b|c', 'x{service="a.b|c"}'],
    ['a regex matcher quotes them', 'x{service=~"{service}"}', 'a.b|c', 'x{service=~"a\\\\.b\\\\|c"}'],
    ['a negated regex matcher quotes them', 'x{service!~"{service}-.*"}', 'a+', 'x{service!~"a\\\\+-.*"}'],
    ['every placeholder is replaced', 'a{s="{service}"} / b{s=~"{service}"}', 'q"', 'a{s="q\\""} / b{s=~"q\\""}'],
    ['a quote cannot close the string', 'x{service="{service}"}', '"} or vector(1) #', 'x{service="\\"} or vector(1) #"}'],
  ])('%s', (_name, template, service, expanded) => expect(expandSignalQuery(template, service)).toBe(expanded));
});

describe('precedence: alert-carried values and live values', () => {
  it.each([
    ["live number wins over the alert's", { error_rate: 5 }, { error_rate: 18 }, { error_rate: 18 }, ['error_rate']],
    ['"no data" live keeps the alert\'s number', { error_rate: 20 }, { error_rate: null }, { error_rate: 20 }, []],
    ['a signal only the alert has stays', { failure_rate: 60 }, { error_rate: 1 }, { failure_rate: 60, error_rate: 1 }, ['error_rate']],
    ['a carried detection is never undone by a measurement', { data_loss: true }, { data_loss: 0 }, { data_loss: true }, []],
    ['a live value above 0 detects', {}, { unresponsive: 1 }, { unresponsive: true }, ['unresponsive']],
    ['live 0 for an unknown detection reads "not detected"', {}, { corruption: 0 }, { corruption: false }, ['corruption']],
    [
      'custom signals (named under signals.queries) are merged like built-in numbers',
      {},
      { saturation: 90 },
      { saturation: 90 },
      ['saturation'],
    ],
  ])('%s', (_name, carried, live, signals, fromLive) => {
    expect(mergeSignals(carried as never, live as never)).toEqual({ signals, fromLive });
  });
});

const series = (...values: number[]): SignalSeries => ({ kind: 'series', points: values.map((value, i) => ({ at: 1_000 * i, value })) });

describe('gate 3: signals under every rule for the whole window', () => {
  it.each([
    ['all healthy', { error_rate: series(0, 1, 2), p95_ms: series(100, 120, 90) }, true, ''],
    ['one sample over the lowest error rule', { error_rate: series(0, 11, 2) }, false, 'error_rate 11% > 10%'],
    ['p95 over 1× its target', { p95_ms: series(100, 501) }, false, 'p95_ms 501 ms > 500 ms'],
    ['no data proves nothing', { error_rate: series() }, false, 'error_rate: no data'],
    [
      'a source fault proves nothing',
      { error_rate: { kind: 'unavailable', reason: 'cannot reach Prometheus' } as SignalSeries },
      false,
      'signals unavailable: cannot reach Prometheus',
    ],
    ['nothing configured proves nothing', {}, false, 'no signals are configured'],
  ])('%s', (_name, input, held, reason) => {
    const verdict = judgeRecovery(input, DEFAULT_SEVERITY_RULES, 'checkout');
    expect(verdict.held).toBe(held);
    if (!verdict.held) expect(verdict.reason).toContain(reason);
  });

  it('records per signal the maximum and the threshold it stayed under', () => {
    const verdict = judgeRecovery({ error_rate: series(0, 3, 1) }, DEFAULT_SEVERITY_RULES, null);
    expect(verdict).toEqual({ held: true, evidence: [{ signal: 'error_rate', max: 3, threshold: 10, samples: 3 }] });
  });

  it('the lowest thresholds come from the least severe rule per signal, ratios resolved per service', () => {
    const rules = { ...DEFAULT_SEVERITY_RULES, services: { checkout: { p95TargetMs: 300 } } };
    expect(lowestThresholds(rules, 'checkout')).toEqual({ failure_rate: 50, p95_ms: 300, error_rate: 10 });
    expect(lowestThresholds(rules, 'other').p95_ms).toBe(500);
  });
});

describe('verification conditions', () => {
  it.each([
    [0.5, 'below', 1, true],
    [1, 'below', 1, false],
    [2, 'above', 1, true],
    [1, 'above', 1, false],
  ] as const)('%d %s %d → %s', (value, op, threshold, expected) => expect(meetsCondition(value, { op, threshold })).toBe(expected));
});

describe('snapshots and how they read', () => {
  it.each([
    ['every signal answered', { a: { kind: 'value', value: 1 }, b: { kind: 'no_data' } }, { a: 1, b: null }, null],
    [
      'one failed: named',
      { a: { kind: 'value', value: 1 }, b: { kind: 'unavailable', reason: 'query error' } },
      { a: 1 },
      'b: query error',
    ],
    [
      'all failed the same way: the reason once',
      { a: { kind: 'unavailable', reason: 'down' }, b: { kind: 'unavailable', reason: 'down' } },
      {},
      'down',
    ],
  ])('%s', (_name, readings, values, unavailable) => {
    expect(snapshotOf('Prometheus', 5, readings as never)).toEqual({ source: 'Prometheus', at: 5, values, unavailable });
  });

  it.each([
    ['error_rate', 18.25, '18.25%'],
    ['p95_ms', 340, '340 ms'],
    ['saturation', 0.5, '0.5'],
    ['error_rate', null, 'no data'],
  ])('%s %s reads %s', (name, value, text) => expect(formatSignalValue(name, value)).toBe(text));

  it('the trend compares now with open, and says when it cannot', () => {
    const open: SignalSnapshot = { source: 'P', at: 0, values: { error_rate: 18, p95_ms: null }, unavailable: null };
    const now: SignalSnapshot = { source: 'P', at: 1, values: { error_rate: 4, p95_ms: 200, fresh: 1 }, unavailable: null };
    expect(describeTrend(open, now)).toEqual([
      'error_rate 18% → 4% (falling)',
      'p95_ms no data → 200 ms (unknown)',
      'fresh 1 (not measured at open)',
    ]);
  });
});
