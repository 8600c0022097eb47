import type { Severity } from '../severity';
import type { ComparisonOp, Condition, SeverityRule, SeverityRules, Urgency } from './rules-schema';
import { PERCENT_SIGNALS, type Signals } from './signals';

/** Rollback deadline per urgency (the rollback decision flowchart): critical <30 min, urgent <4 h, planned <1 week. */
export const URGENCY_SLA_MS: Record<Urgency, number | null> = {
  immediate: 30 * 60_000,
  urgent: 4 * 3_600_000,
  planned: 7 * 86_400_000,
  none: null,
};

/** When only a severity label decided, the urgency follows the severity. */
const URGENCY_FOR_SEVERITY: Record<Severity, Urgency> = { P0: 'immediate', P1: 'urgent', P2: 'planned', P3: 'none' };

/** One fact that made a condition true, e.g. error_rate 18 > 15. */
export interface Observation {
  /** A signal name, or `label:<name>` for label conditions. */
  signal: string;
  value: number | boolean | string;
  op: ComparisonOp;
  /** The effective threshold (for ratio conditions: factor × target). */
  threshold: number | boolean | string;
  ratio?: { factor: number; of: string; target: number };
}

export interface SeverityDecision {
  severity: Severity;
  urgency: Urgency;
  urgencySlaMs: number | null;
  autoRollback: boolean;
  /** The id of the rule that decided, or null (label fallback or nothing matched). */
  rule: string | null;
  observations: Observation[];
  /** One line for people: `P1 because error_rate 18% > 15% (rule urgent-error-rate)`. */
  explanation: string;
}

/**
 * Decides severity from an alert's signals and labels with the ordered rules:
 * 1. the first rule whose conditions hold decides (`any`: one holds; `all`: every one holds);
 * 2. otherwise a `severity` label mapped through `labelSeverityMap`;
 * 3. otherwise P3.
 * A missing signal never satisfies a condition: unknown is not "healthy" nor "broken".
 */
export function classify(signals: Signals, labels: Record<string, string>, service: string | null, rules: SeverityRules): SeverityDecision {
  const p95TargetMs =
    signals.p95_target_ms ?? (service !== null ? rules.services[service]?.p95TargetMs : undefined) ?? rules.defaults.p95TargetMs;
  for (const rule of rules.rules) {
    const observations = matchRule(rule, signals, labels, p95TargetMs);
    if (observations) return fromRule(rule, observations, service);
  }
  const label = labels.severity;
  const mapped = label !== undefined ? rules.labelSeverityMap[label.toLowerCase()] : undefined;
  if (label !== undefined && mapped) {
    return {
      severity: mapped,
      urgency: URGENCY_FOR_SEVERITY[mapped],
      urgencySlaMs: URGENCY_SLA_MS[URGENCY_FOR_SEVERITY[mapped]],
      autoRollback: false,
      rule: null,
      observations: [{ signal: 'label:severity', value: label, op: '==', threshold: label }],
      explanation: `${mapped} because label severity=${label} (no signal rule matched)`,
    };
  }
  return {
    severity: 'P3',
    urgency: 'none',
    urgencySlaMs: null,
    autoRollback: false,
    rule: null,
    observations: [],
    explanation: 'P3 because no rule matched',
  };
}

function fromRule(rule: SeverityRule, observations: Observation[], service: string | null): SeverityDecision {
  const because = rule.reason
    .replaceAll('{observations}', observations.map(describeObservation).join(' and '))
    .replaceAll('{service}', service ?? 'unknown service')
    .replaceAll('{severity}', rule.severity);
  return {
    severity: rule.severity,
    urgency: rule.urgency,
    urgencySlaMs: URGENCY_SLA_MS[rule.urgency],
    autoRollback: rule.autoRollback,
    rule: rule.id,
    observations,
    explanation: `${rule.severity} because ${because} (rule ${rule.id})`,
  };
}

/** The observations that made the rule hold, or null when it does not. */
function matchRule(rule: SeverityRule, signals: Signals, labels: Record<string, string>, p95TargetMs: number): Observation[] | null {
  const observed = rule.conditions.map((condition) => evaluate(condition, signals, labels, p95TargetMs));
  const held = observed.filter((o): o is Observation => o !== null);
  if (rule.match === 'all') return held.length === rule.conditions.length ? held : null;
  return held.length > 0 ? held : null;
}

function evaluate(condition: Condition, signals: Signals, labels: Record<string, string>, p95TargetMs: number): Observation | null {
  if (condition.kind === 'label') {
    const value = labels[condition.label];
    if (value === undefined) return null;
    return compare(value, condition.op, condition.value)
      ? { signal: `label:${condition.label}`, value, op: condition.op, threshold: condition.value }
      : null;
  }
  const value = signals[condition.signal];
  if (value === undefined) return null;
  if (typeof condition.value === 'boolean') {
    return compare(value, condition.op, condition.value)
      ? { signal: condition.signal, value, op: condition.op, threshold: condition.value }
      : null;
  }
  if (typeof value !== 'number') return null;
  if (condition.ratioOf) {
    const target = condition.ratioOf === 'p95_target_ms' ? p95TargetMs : 0;
    const threshold = condition.value * target;
    if (!compare(value, condition.op, threshold)) return null;
    return {
      signal: condition.signal,
      value,
      op: condition.op,
      threshold,
      ratio: { factor: condition.value, of: condition.ratioOf, target },
    };
  }
  return compare(value, condition.op, condition.value)
    ? { signal: condition.signal, value, op: condition.op, threshold: condition.value }
    : null;
}

function compare<T extends number | boolean | string>(value: T, op: ComparisonOp, threshold: T): boolean {
  switch (op) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '==':
      return value === threshold;
    case '!=':
      return value !== threshold;
  }
}

/** `error_rate 18% > 15%`, `p95_ms 1200 ms > 1000 ms (2× target 500 ms)`, `data_loss detected`. */
export function describeObservation(o: Observation): string {
  if (o.signal.startsWith('label:')) return `label ${o.signal.slice('label:'.length)}${o.op === '==' ? '=' : '!='}${String(o.value)}`;
  if (typeof o.value === 'boolean') {
    const detected = o.op === '==' ? o.threshold === true : o.threshold !== true;
    return `${o.signal} ${detected ? 'detected' : 'not detected'}`;
  }
  const unit = unitOf(o.signal);
  const text = `${o.signal} ${formatValue(o.value, unit)} ${o.op} ${formatValue(o.threshold, unit)}`;
  return o.ratio ? `${text} (${formatNumber(o.ratio.factor)}× target ${formatValue(o.ratio.target, unit)})` : text;
}

function unitOf(signal: string): string {
  if ((PERCENT_SIGNALS as readonly string[]).includes(signal)) return '%';
  return signal.endsWith('_ms') ? ' ms' : '';
}

function formatValue(value: number | boolean | string, unit: string): string {
  return typeof value === 'number' ? `${formatNumber(value)}${unit}` : String(value);
}

/** At most three decimals, so 15.01 prints as 15.01 and 0.1+0.2 does not print as 0.30000000000000004. */
function formatNumber(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}
