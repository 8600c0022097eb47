import { describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITY_RULES } from '../../../src/domain/classifier/default-rules';
import { recordChartOutcome } from '../../../src/domain/signals/chart-changes';
import { buildSignalChart, chartWindow, ruleThresholds } from '../../../src/domain/signals/signal-chart';
import type { SignalSeries } from '../../../src/domain/signals/signal-reading';

const OPENED = Date.UTC(2026, 11, 1, 14, 2, 0);
const LOOKBACK = 30 * 60_000;

function seriesEvery(window: { startMs: number; stepMs: number }, values: (number | null)[]): SignalSeries {
  // As Prometheus answers: a point per step, none where the expression had no value.
  return {
    kind: 'series',
    points: values.flatMap((value, k) => (value === null ? [] : [{ at: window.startMs + k * window.stepMs, value }])),
  };
}

describe('the chart window: lookback before open to now, about 150 points', () => {
  it.each([
    ['at open (30m)', 0, 12_000, 151],
    ['at resolve after 2h', 2 * 3_600_000, 60_000, 151],
    ['at resolve after 1m', 60_000, 13_000, 145],
  ])('%s', (_name, openFor, step, points) => {
    const w = chartWindow(OPENED, OPENED + openFor, LOOKBACK);
    expect(w).toMatchObject({ endMs: OPENED + openFor, stepMs: step });
    // Counted back from now in whole steps: the last point is now, the first at most one step before the lookback.
    expect((w.endMs - w.startMs) % w.stepMs).toBe(0);
    expect(w.startMs).toBeLessThanOrEqual(OPENED - LOOKBACK);
    expect(w.startMs).toBeGreaterThan(OPENED - LOOKBACK - step);
    const count = Math.floor((w.endMs - w.startMs) / w.stepMs) + 1;
    expect(count).toBe(points);
    expect(count).toBeGreaterThanOrEqual(120);
    expect(count).toBeLessThanOrEqual(200);
  });
});

describe('buildSignalChart', () => {
  const window = chartWindow(OPENED, OPENED, LOOKBACK);
  const steps = 151;
  const errorRate = Array.from({ length: steps }, (_, k) => (k >= 40 && k < 50 ? null : k > 100 ? 40 : 0.5));
  const chart = (series: Record<string, SignalSeries>, moment: 'at_open' | 'at_resolve' = 'at_open') =>
    buildSignalChart({
      incidentId: 'INC-20261201-001',
      service: 'checkout',
      moment,
      openedAt: OPENED,
      resolvedAt: moment === 'at_resolve' ? OPENED + 10 * 60_000 : null,
      lookbackMs: LOOKBACK,
      window,
      series,
      rules: DEFAULT_SEVERITY_RULES,
    });

  it('one panel per unit (percent apart from milliseconds), axes named with their units', () => {
    const spec = chart({
      error_rate: seriesEvery(window, errorRate),
      p95_ms: seriesEvery(window, Array(steps).fill(30)),
      failure_rate: seriesEvery(window, Array(steps).fill(1)),
    });
    expect(spec.panels.map((p) => [p.unit, p.axisName, p.lines.map((l) => l.signal)])).toEqual([
      ['percent', 'percent (%)', ['error_rate', 'failure_rate']],
      ['ms', 'milliseconds (ms)', ['p95_ms']],
    ]);
    expect(spec.height).toBeGreaterThan(spec.panels.length * 200);
  });

  it("draws every rule's threshold on a plotted signal, the p95 ones resolved against the target, and none for signals not plotted", () => {
    const spec = chart({ error_rate: seriesEvery(window, errorRate), p95_ms: seriesEvery(window, Array(steps).fill(30)) });
    expect(spec.panels[0]!.thresholds.map((t) => t.label)).toEqual(['P1 urgent-error-rate > 15%', 'P2 planned-error-rate > 10%']);
    const target = DEFAULT_SEVERITY_RULES.defaults.p95TargetMs;
    expect(spec.panels[1]!.thresholds.map((t) => [t.severity, t.value])).toEqual([
      ['P1', 2 * target],
      ['P2', target],
    ]);
    expect(spec.panels.flatMap((p) => p.thresholds).some((t) => t.signal === 'failure_rate')).toBe(false);
  });

  it('missing steps are gaps (null), never 0; a signal with no value at all is labelled "no data"', () => {
    const spec = chart({ error_rate: seriesEvery(window, errorRate), p95_ms: { kind: 'series', points: [] } });
    const line = spec.panels[0]!.lines[0]!;
    expect(line.points).toHaveLength(steps);
    expect(line.points.slice(40, 50).every(([, v]) => v === null)).toBe(true);
    expect(line.points[39]![1]).toBe(0.5);
    expect(line.points[120]).toEqual([window.startMs + 120 * window.stepMs, 40]);
    const empty = spec.panels[1]!.lines[0]!;
    expect(empty).toMatchObject({ noData: true, label: 'p95_ms (no data)' });
    expect(empty.points.every(([, v]) => v === null)).toBe(true);
    expect(spec.drawn).toEqual(['error_rate']);
    expect(spec.caption).toContain('no data: p95_ms');
  });

  it('a signal the source could not read says "unavailable"', () => {
    const spec = chart({
      error_rate: seriesEvery(window, errorRate),
      p95_ms: { kind: 'unavailable', reason: 'query error (bad_data): x' },
    });
    expect(spec.panels[1]!.lines[0]).toMatchObject({
      noData: true,
      unavailable: 'query error (bad_data): x',
      label: 'p95_ms (unavailable)',
    });
  });

  it('marks the open time, and the resolve time at resolve; names, titles and caption say UTC and which moment', () => {
    const atOpen = chart({ error_rate: seriesEvery(window, errorRate) });
    expect(atOpen.markers).toEqual([{ at: OPENED, label: 'opened 14:02 UTC' }]);
    expect(atOpen.filename).toBe('INC-20261201-001-signals-at-open.png');
    expect(atOpen.title).toBe('INC-20261201-001 · checkout · signals at open');
    expect(atOpen.subtitle).toContain('times in UTC');
    expect(atOpen.caption).toBe('error_rate of checkout, 30m before open to 14:02 UTC (at open)');
    const atResolve = chart({ error_rate: seriesEvery(window, errorRate) }, 'at_resolve');
    expect(atResolve.markers.map((m) => m.label)).toEqual(['opened 14:02 UTC', 'resolved 14:12 UTC']);
    expect(atResolve.filename).toBe('INC-20261201-001-signals-at-resolve.png');
  });

  it('ruleThresholds uses a service’s own p95 target', () => {
    const rules = { ...DEFAULT_SEVERITY_RULES, services: { checkout: { p95TargetMs: 200 } } };
    expect(
      ruleThresholds(rules, 'checkout')
        .filter((t) => t.signal === 'p95_ms')
        .map((t) => t.value),
    ).toEqual([400, 200]);
  });
});

describe('recordChartOutcome', () => {
  const incident = { id: 'INC-1', status: 'resolved' } as never;
  it('notes a posted chart and a refused one on the timeline', () => {
    const posted = recordChartOutcome(
      incident,
      { moment: 'at_resolve', posted: true, where: 'C1', fileId: 'F1', signals: ['error_rate'] },
      1,
    );
    expect(posted.ok && posted.events[0]!.text).toBe('Signal chart posted (at resolve): error_rate');
    const refused = recordChartOutcome(incident, { moment: 'at_open', posted: false, reason: 'Slack answered "http_500"' }, 1);
    expect(refused.ok && refused.events[0]!.text).toBe('Signal chart not posted: Slack answered "http_500" (at open)');
  });
});
