import { classify } from '../classifier/classify';
import type { SeverityRules } from '../classifier/rules-schema';
import { isBooleanSignal, type Signals } from '../classifier/signals';
import { severityRank } from '../severity';
import { formatSignalNumber } from './signal-condition';
import type { SignalSeries } from './signal-reading';

export interface SignalEvidence {
  signal: string;
  /** Highest value in the window (the one that matters for "stayed under"). */
  max: number;
  /** The threshold of the lowest-severity rule on this signal, when a rule names it. */
  threshold: number | null;
  samples: number;
}

export type RecoveryVerdict = { held: true; evidence: SignalEvidence[] } | { held: false; reason: string };

/**
 * Gate 3 by signals: every sample of every signal over the hold window matches no
 * severity rule ("healthy" in the rollback flowchart, i.e. under the lowest rule that
 * would match). A signal with no data, or a source that did not answer, proves nothing.
 */
export function judgeRecovery(series: Record<string, SignalSeries>, rules: SeverityRules, service: string | null): RecoveryVerdict {
  const names = Object.keys(series);
  if (names.length === 0) return { held: false, reason: 'no signals are configured for this service' };
  const byTime = new Map<number, Signals>();
  const evidence: SignalEvidence[] = [];
  const thresholds = lowestThresholds(rules, service);
  for (const name of names) {
    const s = series[name]!;
    if (s.kind === 'unavailable') return { held: false, reason: `signals unavailable: ${s.reason}` };
    if (s.points.length === 0) return { held: false, reason: `${name}: no data` };
    for (const point of s.points) byTime.set(point.at, { ...(byTime.get(point.at) ?? {}), ...asSignal(name, point.value) });
    evidence.push({
      signal: name,
      max: Math.max(...s.points.map((p) => p.value)),
      threshold: thresholds[name] ?? null,
      samples: s.points.length,
    });
  }
  for (const [at, signals] of [...byTime.entries()].sort((a, b) => a[0] - b[0])) {
    const decision = classify(signals, {}, service, rules);
    if (decision.rule !== null)
      return {
        held: false,
        reason: `${decision.explanation.replace(/^P\d because /, '')} at ${new Date(at).toISOString().slice(11, 19)} UTC`,
      };
  }
  return { held: true, evidence };
}

function asSignal(name: string, value: number): Signals {
  // Custom signals (queue_depth) are numbers a rule may name; detections read above 0 as true.
  return { [name]: isBooleanSignal(name) ? value > 0 : value };
}

/** Per numeric signal, the threshold of the least severe rule that names it (ratio rules resolved). */
export function lowestThresholds(rules: SeverityRules, service: string | null): Record<string, number> {
  const target = (service !== null ? rules.services[service]?.p95TargetMs : undefined) ?? rules.defaults.p95TargetMs;
  const found: Record<string, { rank: number; value: number }> = {};
  for (const rule of rules.rules) {
    for (const c of rule.conditions) {
      if (c.kind !== 'signal' || typeof c.value !== 'number') continue;
      const value = c.ratioOf ? c.value * target : c.value;
      const rank = severityRank(rule.severity);
      const seen = found[c.signal];
      if (!seen || rank > seen.rank || (rank === seen.rank && value < seen.value)) found[c.signal] = { rank, value };
    }
  }
  return Object.fromEntries(Object.entries(found).map(([k, v]) => [k, v.value]));
}

/** `error_rate max 0.4 (rule threshold 10), p95_ms max 120 (rule threshold 500)` */
export function describeEvidence(evidence: SignalEvidence[]): string {
  return evidence
    .map((e) => `${e.signal} max ${formatSignalNumber(e.max)}${e.threshold !== null ? ` (under ${formatSignalNumber(e.threshold)})` : ''}`)
    .join(', ');
}
