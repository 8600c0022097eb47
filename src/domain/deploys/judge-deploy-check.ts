import { classify, describeObservation, type SeverityDecision } from '../classifier/classify';
import type { SeverityRules } from '../classifier/rules-schema';
import { isMoreSevere, type Severity } from '../severity';
import { mergeSignals } from '../signals/merge-signals';
import type { SignalSnapshot } from '../signals/signal-reading';
import type { DeployWatch } from './deploy-watch';

/** A rule of this severity or worse matching after a deploy is a critical breach. */
export const BREACH_SEVERITY: Severity = 'P1';

export type DeployVerdict =
  | { kind: 'healthy'; decision: SeverityDecision | null }
  /** A P0/P1 rule matched before the deploy too: the deploy did not cause it, so it is not blamed on it. */
  | { kind: 'already_breaching'; decision: SeverityDecision }
  | { kind: 'breach'; decision: SeverityDecision; because: string };

function decide(snapshot: SignalSnapshot, rules: SeverityRules, service: string): SeverityDecision {
  return classify(mergeSignals({}, snapshot.values).signals, {}, service, rules);
}

function critical(decision: SeverityDecision): boolean {
  return decision.rule !== null && !isMoreSevere(BREACH_SEVERITY, decision.severity);
}

/**
 * One check of a deploy watch, compared with the rules and with the baseline:
 * 1. nothing read (Prometheus down, no data): healthy for now, nothing is inferred from silence;
 * 2. no rule of P1 or worse matches now: healthy;
 * 3. the same or a worse rule already matched in the baseline (before the deploy): not the
 *    deploy's doing, recorded as such and never an incident of its own;
 * 4. otherwise a breach: the observations that made the rule hold are the reason.
 */
export function judgeDeployCheck(
  watch: Pick<DeployWatch, 'service' | 'baseline'>,
  now: SignalSnapshot,
  rules: SeverityRules,
): DeployVerdict {
  if (Object.values(now.values).every((v) => v === null)) return { kind: 'healthy', decision: null };
  const decision = decide(now, rules, watch.service);
  if (!critical(decision)) return { kind: 'healthy', decision };
  if (watch.baseline) {
    const before = decide(watch.baseline, rules, watch.service);
    if (critical(before) && !isMoreSevere(decision.severity, before.severity)) return { kind: 'already_breaching', decision };
  }
  return { kind: 'breach', decision, because: decision.observations.map(describeObservation).join(' and ') };
}

/** `Opened by deploy watch: checkout release v42 (previous v41) — error_rate 22% > 15%` */
export function describeDeployBreach(watch: Pick<DeployWatch, 'service' | 'release' | 'previousRelease'>, because: string): string {
  return `Opened by deploy watch: ${watch.service} release ${watch.release} (previous ${watch.previousRelease}) — ${because}`;
}
