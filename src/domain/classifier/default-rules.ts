import type { Condition, SeverityRule, SeverityRules, Urgency } from './rules-schema';
import type { Severity } from '../severity';

/**
 * The built-in rules (the rollback decision flowchart's thresholds, the response plan's levels), identical to
 * `config/severity-rules.yml`; a unit test parses the YAML and compares.
 * auto_rollback stays off: the rollback decision flowchart auto-triggers critical rollbacks, but here a human
 * approves every rollback until a team opts in per rule.
 */
function rule(id: string, severity: Severity, urgency: Urgency, condition: Condition): SeverityRule {
  return { id, severity, urgency, autoRollback: false, reason: '{observations}', match: 'any', conditions: [condition] };
}

const detected = (signal: 'data_loss' | 'security_breach' | 'corruption' | 'unresponsive'): Condition => ({
  kind: 'signal',
  signal,
  op: '==',
  value: true,
  ratioOf: null,
});

export const DEFAULT_SEVERITY_RULES: SeverityRules = {
  defaults: { p95TargetMs: 500 },
  services: {},
  labelSeverityMap: {
    critical: 'P0',
    p0: 'P0',
    high: 'P1',
    error: 'P1',
    p1: 'P1',
    warning: 'P2',
    medium: 'P2',
    p2: 'P2',
    low: 'P3',
    info: 'P3',
    p3: 'P3',
  },
  rules: [
    rule('critical-data-loss', 'P0', 'immediate', detected('data_loss')),
    rule('critical-security-breach', 'P0', 'immediate', detected('security_breach')),
    rule('critical-corruption', 'P0', 'immediate', detected('corruption')),
    rule('critical-failure-rate', 'P0', 'immediate', { kind: 'signal', signal: 'failure_rate', op: '>', value: 50, ratioOf: null }),
    rule('urgent-p95', 'P1', 'urgent', { kind: 'signal', signal: 'p95_ms', op: '>', value: 2, ratioOf: 'p95_target_ms' }),
    rule('urgent-error-rate', 'P1', 'urgent', { kind: 'signal', signal: 'error_rate', op: '>', value: 15, ratioOf: null }),
    rule('urgent-unresponsive', 'P1', 'urgent', detected('unresponsive')),
    rule('planned-p95', 'P2', 'planned', { kind: 'signal', signal: 'p95_ms', op: '>', value: 1, ratioOf: 'p95_target_ms' }),
    rule('planned-error-rate', 'P2', 'planned', { kind: 'signal', signal: 'error_rate', op: '>', value: 10, ratioOf: null }),
  ],
};
