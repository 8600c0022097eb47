import type { SeverityRules } from './rules-schema';
import { isSignalName } from './signals';

export interface UnknownRuleSignal {
  /** Index in `rules:` (as in the file). */
  index: number;
  rule: string;
  signal: string;
}

/**
 * Signals a rule names that nothing can supply: not a built-in (alerts carry those) and not a
 * named query under `signals.queries` or any `services[].signals`. Such a condition could never
 * hold, so the config refuses it instead of leaving a rule that silently never matches.
 */
export function findUnknownRuleSignals(rules: SeverityRules, namedQueries: Iterable<string>): UnknownRuleSignal[] {
  const known = new Set(namedQueries);
  const unknown: UnknownRuleSignal[] = [];
  rules.rules.forEach((rule, index) => {
    for (const c of rule.conditions) {
      if (c.kind !== 'signal' || isSignalName(c.signal) || known.has(c.signal)) continue;
      if (!unknown.some((u) => u.index === index && u.signal === c.signal)) unknown.push({ index, rule: rule.id, signal: c.signal });
    }
  });
  return unknown;
}
