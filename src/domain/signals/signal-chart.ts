import type { SeverityRules } from '../classifier/rules-schema';
import { PERCENT_SIGNALS } from '../classifier/signals';
import { formatDuration } from '../duration';
import { utcClock } from '../report/utc-time';
import type { Severity } from '../severity';
import { formatSignalNumber } from './signal-condition';
import type { SignalSeries } from './signal-reading';

/** When a chart is drawn: as the incident opens, or refreshed as it resolves. */
export type ChartMoment = 'at_open' | 'at_resolve';

/** Aim for this many points per line: enough to see a spike, few enough to read (120–200). */
const TARGET_POINTS = 150;

export interface ChartWindow {
  startMs: number;
  endMs: number;
  stepMs: number;
}

export type ChartUnit = 'percent' | 'ms' | 'number';

/** One line: a value per step of the window, null where the source had nothing (a gap). */
export interface ChartLine {
  signal: string;
  points: [at: number, value: number | null][];
  /** Not one value in the window: drawn as "no data", never as 0. */
  noData: boolean;
  /** The source did not answer for this signal. */
  unavailable: string | null;
  /** Legend text: `error_rate`, `p95_ms (no data)`. */
  label: string;
}

/** A rule's threshold on a plotted signal, drawn as a dashed horizontal line. */
export interface ChartThreshold {
  signal: string;
  value: number;
  severity: Severity;
  /** `P1 urgent-error-rate > 15%` */
  label: string;
}

/** Signals sharing a unit share a panel (percent and milliseconds never share an axis). */
export interface ChartPanel {
  unit: ChartUnit;
  /** The y axis name, with its unit: `error rate (%)`, `latency (ms)`. */
  axisName: string;
  lines: ChartLine[];
  thresholds: ChartThreshold[];
}

export interface ChartMarker {
  at: number;
  /** `opened 14:02 UTC` */
  label: string;
}

/** Everything a renderer needs; no library's vocabulary, all times UTC. */
export interface SignalChartSpec {
  title: string;
  subtitle: string;
  window: ChartWindow;
  markers: ChartMarker[];
  panels: ChartPanel[];
  width: number;
  height: number;
  /** `INC-20261201-001-signals-at-open.png` */
  filename: string;
  /** For screen readers (Slack's alt text). */
  altText: string;
  /** What the chart shows, in plain words: `error_rate, p95_ms of checkout, 30m before open to 14:32 UTC (at open)`. */
  caption: string;
  /** Signals plotted with at least one value. */
  drawn: string[];
}

export interface SignalChartInput {
  incidentId: string;
  service: string;
  moment: ChartMoment;
  openedAt: number;
  resolvedAt: number | null;
  lookbackMs: number;
  window: ChartWindow;
  series: Record<string, SignalSeries>;
  rules: SeverityRules;
}

/**
 * The window of a chart: `lookback` before the incident opened to now, stepped so each line
 * has about 150 points (whole seconds, as Prometheus takes them), the last one now.
 */
export function chartWindow(openedAt: number, now: number, lookbackMs: number): ChartWindow {
  const endMs = Math.max(now, openedAt);
  const span = endMs - (openedAt - lookbackMs);
  const stepMs = Math.max(1_000, Math.ceil(span / TARGET_POINTS / 1_000) * 1_000);
  // Counted back from now, so the last point is the latest measurement (the start may move back by less than a step).
  return { startMs: endMs - Math.ceil(span / stepMs) * stepMs, endMs, stepMs };
}

export function unitOf(signal: string): ChartUnit {
  if ((PERCENT_SIGNALS as readonly string[]).includes(signal)) return 'percent';
  return signal.endsWith('_ms') ? 'ms' : 'number';
}

const AXIS_NAMES: Record<ChartUnit, string> = { percent: 'percent (%)', ms: 'milliseconds (ms)', number: 'value' };
const UNIT_SUFFIX: Record<ChartUnit, string> = { percent: '%', ms: ' ms', number: '' };
const PANEL_ORDER: ChartUnit[] = ['percent', 'ms', 'number'];
const PANEL_HEIGHT = 240;
const CHROME_HEIGHT = 150;

/**
 * The chart of an incident's signals as data: one panel per unit, one line per signal on a
 * regular grid (missing steps are null, so they show as gaps), each rule's threshold on a
 * plotted signal as a dashed line, the open (and resolve) time marked.
 */
export function buildSignalChart(input: SignalChartInput): SignalChartSpec {
  const { window } = input;
  const names = Object.keys(input.series).sort();
  const thresholds = ruleThresholds(input.rules, input.service);
  const panels: ChartPanel[] = [];
  for (const unit of PANEL_ORDER) {
    const signals = names.filter((n) => unitOf(n) === unit);
    if (!signals.length) continue;
    panels.push({
      unit,
      axisName: AXIS_NAMES[unit],
      lines: signals.map((signal) => lineOf(signal, input.series[signal]!, window)),
      thresholds: thresholds.filter((t) => signals.includes(t.signal)),
    });
  }
  const markers: ChartMarker[] = [{ at: input.openedAt, label: `opened ${utcClock(input.openedAt)}` }];
  if (input.resolvedAt !== null) markers.push({ at: input.resolvedAt, label: `resolved ${utcClock(input.resolvedAt)}` });
  const moment = input.moment === 'at_open' ? 'at open' : 'at resolve';
  const span = `${formatDuration(input.lookbackMs)} before open to ${utcClock(window.endMs)}`;
  const drawn = panels.flatMap((p) => p.lines.filter((l) => !l.noData).map((l) => l.signal));
  const missing = panels.flatMap((p) => p.lines.filter((l) => l.noData).map((l) => l.signal));
  return {
    title: `${input.incidentId} · ${input.service} · signals ${moment}`,
    subtitle: `${span}, one point every ${formatDuration(window.stepMs)}; times in UTC; dashed: severity rule thresholds`,
    window,
    markers,
    panels,
    width: 1000,
    height: CHROME_HEIGHT + PANEL_HEIGHT * panels.length,
    filename: `${input.incidentId}-signals-${input.moment.replace('_', '-')}.png`,
    altText: `Chart of ${names.join(', ')} for ${input.service}, ${span}`,
    caption: `${names.join(', ')} of ${input.service}, ${span} (${moment})${missing.length ? `; no data: ${missing.join(', ')}` : ''}`,
    drawn,
  };
}

function lineOf(signal: string, series: SignalSeries, window: ChartWindow): ChartLine {
  const steps = Math.floor((window.endMs - window.startMs) / window.stepMs);
  const byStep = new Map<number, number>();
  if (series.kind === 'series') {
    for (const p of series.points) {
      if (!Number.isFinite(p.value)) continue;
      byStep.set(Math.round((p.at - window.startMs) / window.stepMs), p.value);
    }
  }
  const points: [number, number | null][] = [];
  for (let k = 0; k <= steps; k++) points.push([window.startMs + k * window.stepMs, byStep.get(k) ?? null]);
  const noData = points.every(([, v]) => v === null);
  const unavailable = series.kind === 'unavailable' ? series.reason : null;
  return {
    signal,
    points,
    noData,
    unavailable,
    label: unavailable ? `${signal} (unavailable)` : noData ? `${signal} (no data)` : signal,
  };
}

/** Every rule's numeric threshold per signal (ratio rules resolved for the service), most severe first. */
export function ruleThresholds(rules: SeverityRules, service: string | null): ChartThreshold[] {
  const target = (service !== null ? rules.services[service]?.p95TargetMs : undefined) ?? rules.defaults.p95TargetMs;
  const seen = new Set<string>();
  const out: ChartThreshold[] = [];
  for (const rule of rules.rules) {
    for (const c of rule.conditions) {
      if (c.kind !== 'signal' || typeof c.value !== 'number') continue;
      const value = c.ratioOf ? c.value * target : c.value;
      const key = `${c.signal}:${value}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        signal: c.signal,
        value,
        severity: rule.severity,
        label: `${rule.severity} ${rule.id} ${c.op} ${formatSignalNumber(value)}${UNIT_SUFFIX[unitOf(c.signal)]}`,
      });
    }
  }
  return out;
}
