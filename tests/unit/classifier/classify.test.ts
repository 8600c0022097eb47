import { describe, expect, it } from 'vitest';
import { classify, describeObservation, URGENCY_SLA_MS } from '../../../src/domain/classifier/classify';
import { DEFAULT_SEVERITY_RULES } from '../../../src/domain/classifier/default-rules';
import type { SeverityRules } from '../../../src/domain/classifier/rules-schema';
import type { Signals } from '../../../src/domain/classifier/signals';

const rules: SeverityRules = { ...DEFAULT_SEVERITY_RULES, services: { search: { p95TargetMs: 200 }, batch: { p95TargetMs: 2000 } } };

// Seed 000 thresholds, each boundary from both sides: at the threshold does not trip it (">"), just above does.
const cases: {
  name: string;
  signals: Signals;
  service?: string;
  labels?: Record<string, string>;
  severity: string;
  rule: string | null;
}[] = [
  { name: 'failure_rate 50 is not critical (falls to P3)', signals: { failure_rate: 50 }, severity: 'P3', rule: null },
  { name: 'failure_rate 50.01 is critical', signals: { failure_rate: 50.01 }, severity: 'P0', rule: 'critical-failure-rate' },
  { name: 'data_loss true', signals: { data_loss: true }, severity: 'P0', rule: 'critical-data-loss' },
  { name: 'data_loss false', signals: { data_loss: false }, severity: 'P3', rule: null },
  { name: 'security_breach true', signals: { security_breach: true }, severity: 'P0', rule: 'critical-security-breach' },
  { name: 'security_breach false', signals: { security_breach: false }, severity: 'P3', rule: null },
  { name: 'corruption true', signals: { corruption: true }, severity: 'P0', rule: 'critical-corruption' },
  { name: 'corruption false', signals: { corruption: false }, severity: 'P3', rule: null },
  { name: 'unresponsive true', signals: { unresponsive: true }, severity: 'P1', rule: 'urgent-unresponsive' },
  { name: 'unresponsive false', signals: { unresponsive: false }, severity: 'P3', rule: null },
  { name: 'error_rate 15 is not urgent (but > 10 is planned)', signals: { error_rate: 15 }, severity: 'P2', rule: 'planned-error-rate' },
  { name: 'error_rate 15.01 is urgent', signals: { error_rate: 15.01 }, severity: 'P1', rule: 'urgent-error-rate' },
  { name: 'error_rate 10 is healthy', signals: { error_rate: 10 }, severity: 'P3', rule: null },
  { name: 'error_rate 10.01 is planned', signals: { error_rate: 10.01 }, severity: 'P2', rule: 'planned-error-rate' },
  { name: 'p95 1000 with default target 500 is planned, not urgent', signals: { p95_ms: 1000 }, severity: 'P2', rule: 'planned-p95' },
  { name: 'p95 1001 with default target 500 is urgent', signals: { p95_ms: 1001 }, severity: 'P1', rule: 'urgent-p95' },
  { name: 'p95 500 equals target: healthy', signals: { p95_ms: 500 }, severity: 'P3', rule: null },
  { name: 'p95 501 is planned', signals: { p95_ms: 501 }, severity: 'P2', rule: 'planned-p95' },
  { name: 'service target 200: p95 400 is planned', signals: { p95_ms: 400 }, service: 'search', severity: 'P2', rule: 'planned-p95' },
  { name: 'service target 200: p95 401 is urgent', signals: { p95_ms: 401 }, service: 'search', severity: 'P1', rule: 'urgent-p95' },
  { name: 'service target 2000: p95 1200 is healthy', signals: { p95_ms: 1200 }, service: 'batch', severity: 'P3', rule: null },
  { name: 'unknown service uses the default target', signals: { p95_ms: 1001 }, service: 'nope', severity: 'P1', rule: 'urgent-p95' },
  {
    name: "the alert's own target beats the service's",
    signals: { p95_ms: 1200, p95_target_ms: 1000 },
    service: 'search',
    severity: 'P2',
    rule: 'planned-p95',
  },
  {
    name: 'P0 wins over P1 when both hold (order)',
    signals: { error_rate: 90, data_loss: true },
    severity: 'P0',
    rule: 'critical-data-loss',
  },
  {
    name: 'signals win over the severity label',
    signals: { error_rate: 18 },
    labels: { severity: 'info' },
    severity: 'P1',
    rule: 'urgent-error-rate',
  },
  { name: 'label fallback: warning → P2', signals: {}, labels: { severity: 'warning' }, severity: 'P2', rule: null },
  { name: 'label fallback is case-insensitive', signals: {}, labels: { severity: 'CRITICAL' }, severity: 'P0', rule: null },
  { name: 'PagerDuty priority P1 maps to P1', signals: {}, labels: { severity: 'P1' }, severity: 'P1', rule: null },
  { name: 'unmapped label falls to P3', signals: {}, labels: { severity: 'whatever' }, severity: 'P3', rule: null },
  { name: 'nothing at all is P3', signals: {}, severity: 'P3', rule: null },
];

describe('classify with the default rules', () => {
  it.each(cases)('$name', ({ signals, service, labels, severity, rule }) => {
    const decision = classify(signals, labels ?? {}, service ?? null, rules);
    expect(decision.severity).toBe(severity);
    expect(decision.rule).toBe(rule);
    expect(decision.urgencySlaMs).toBe(URGENCY_SLA_MS[decision.urgency]);
  });

  it('explains a threshold rule in one line with units', () => {
    const d = classify({ error_rate: 18 }, {}, null, rules);
    expect(d).toMatchObject({ severity: 'P1', urgency: 'urgent', urgencySlaMs: 4 * 3_600_000, autoRollback: false });
    expect(d.explanation).toBe('P1 because error_rate 18% > 15% (rule urgent-error-rate)');
    expect(d.observations).toEqual([{ signal: 'error_rate', value: 18, op: '>', threshold: 15 }]);
  });

  it('explains a ratio rule with the target it used', () => {
    const d = classify({ p95_ms: 1200 }, {}, null, rules);
    expect(d.explanation).toBe('P1 because p95_ms 1200 ms > 1000 ms (2× target 500 ms) (rule urgent-p95)');
    expect(d.observations[0]).toEqual({
      signal: 'p95_ms',
      value: 1200,
      op: '>',
      threshold: 1000,
      ratio: { factor: 2, of: 'p95_target_ms', target: 500 },
    });
  });

  it('explains booleans, the label fallback and the default', () => {
    expect(classify({ data_loss: true }, {}, null, rules).explanation).toBe('P0 because data_loss detected (rule critical-data-loss)');
    expect(classify({}, { severity: 'warning' }, null, rules).explanation).toBe(
      'P2 because label severity=warning (no signal rule matched)',
    );
    const none = classify({}, {}, null, rules);
    expect(none).toEqual({
      severity: 'P3',
      urgency: 'none',
      urgencySlaMs: null,
      autoRollback: false,
      rule: null,
      observations: [],
      explanation: 'P3 because no rule matched',
    });
  });

  it('gives the rollback SLAs of the decision flowchart per urgency', () => {
    expect(classify({ corruption: true }, {}, null, rules).urgencySlaMs).toBe(30 * 60_000);
    expect(classify({ error_rate: 12 }, {}, null, rules).urgencySlaMs).toBe(7 * 86_400_000);
    expect(classify({}, { severity: 'critical' }, null, rules)).toMatchObject({ urgency: 'immediate', urgencySlaMs: 30 * 60_000 });
  });
});

describe('classify with custom rules', () => {
  const custom: SeverityRules = {
    defaults: { p95TargetMs: 500 },
    services: {},
    labelSeverityMap: {},
    rules: [
      {
        id: 'payments-errors',
        severity: 'P0',
        urgency: 'immediate',
        autoRollback: true,
        reason: '{service} is failing: {observations}',
        match: 'all',
        conditions: [
          { kind: 'label', label: 'team', op: '==', value: 'payments' },
          { kind: 'signal', signal: 'error_rate', op: '>=', value: 5, ratioOf: null },
        ],
      },
      {
        id: 'not-ok',
        severity: 'P2',
        urgency: 'planned',
        autoRollback: false,
        reason: '{observations}',
        match: 'any',
        conditions: [
          { kind: 'signal', signal: 'p95_ms', op: '>=', value: 3000, ratioOf: null },
          { kind: 'signal', signal: 'error_rate', op: '>=', value: 5, ratioOf: null },
        ],
      },
    ],
  };

  it('"all" needs every condition; the reason template is filled in', () => {
    const d = classify({ error_rate: 5 }, { team: 'payments' }, 'checkout', custom);
    expect(d).toMatchObject({ severity: 'P0', autoRollback: true, rule: 'payments-errors' });
    expect(d.explanation).toBe('P0 because checkout is failing: label team=payments and error_rate 5% >= 5% (rule payments-errors)');
  });

  it('"all" fails when one condition is missing, and the next rule is tried', () => {
    expect(classify({ error_rate: 5 }, { team: 'search' }, null, custom).rule).toBe('not-ok');
    expect(classify({ error_rate: 4.99 }, { team: 'payments' }, null, custom).rule).toBe(null);
  });

  it('"any" reports every condition that held', () => {
    const d = classify({ error_rate: 7, p95_ms: 3000 }, {}, null, custom);
    expect(d.observations.map((o) => o.signal)).toEqual(['p95_ms', 'error_rate']);
    expect(d.explanation).toBe('P2 because p95_ms 3000 ms >= 3000 ms and error_rate 7% >= 5% (rule not-ok)');
  });
});

describe('classify with a custom signal', () => {
  const withQueue: SeverityRules = {
    ...DEFAULT_SEVERITY_RULES,
    rules: [
      {
        id: 'urgent-queue-backlog',
        severity: 'P1',
        urgency: 'urgent',
        autoRollback: false,
        reason: '{observations}',
        match: 'any',
        conditions: [{ kind: 'signal', signal: 'queue_depth', op: '>', value: 1000, ratioOf: null }],
      },
      ...DEFAULT_SEVERITY_RULES.rules,
    ],
  };

  it.each([
    { name: 'above the threshold decides', signals: { queue_depth: 1500 }, severity: 'P1', rule: 'urgent-queue-backlog' },
    { name: 'at the threshold does not', signals: { queue_depth: 1000 }, severity: 'P3', rule: null },
    {
      name: 'missing is not healthy nor broken: the next rules decide',
      signals: { error_rate: 12 },
      severity: 'P2',
      rule: 'planned-error-rate',
    },
  ])('$name', ({ signals, severity, rule }) => {
    const d = classify(signals, {}, 'checkout', withQueue);
    expect({ severity: d.severity, rule: d.rule }).toEqual({ severity, rule });
  });

  it('explains the custom signal without a unit', () => {
    expect(classify({ queue_depth: 1500 }, {}, null, withQueue).explanation).toBe(
      'P1 because queue_depth 1500 > 1000 (rule urgent-queue-backlog)',
    );
  });
});

describe('describeObservation', () => {
  it.each([
    [{ signal: 'failure_rate', value: 50.01, op: '>' as const, threshold: 50 }, 'failure_rate 50.01% > 50%'],
    [{ signal: 'error_rate', value: 0.1 + 0.2, op: '>' as const, threshold: 0.25 }, 'error_rate 0.3% > 0.25%'],
    [{ signal: 'unresponsive', value: false, op: '==' as const, threshold: false }, 'unresponsive not detected'],
    [{ signal: 'label:env', value: 'prod', op: '!=' as const, threshold: 'dev' }, 'label env!=prod'],
  ])('%o → %s', (observation, text) => {
    expect(describeObservation(observation)).toBe(text);
  });
});
