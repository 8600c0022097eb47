import { refuse, type Result } from '../result';
import { isEmptyPhrase, type Phrase } from '../phrase';

/** What the four gates of the incident protocol look at; the app derives these from the incident and its records. */
export interface GateFacts {
  severityConfirmed: boolean;
  rollbackReadinessPassed: boolean;
  decisionRecorded: boolean;
  recoveryValidated: boolean;
  /** An explicit "resolve without validated recovery", with who and why. */
  recoveryOverride: { by: string; reason: string } | null;
  resolutionSummary: Phrase | null;
  reportWritten: boolean;
}

export interface GateStatus {
  gate: 1 | 2 | 3 | 4;
  name: string;
  passed: boolean;
  /** Each entry says what is missing and exactly how to supply it. */
  missing: string[];
}

/** The instructions shown in Slack; one place, so wording changes in one file. */
export const GATE_INSTRUCTIONS = {
  severity: 'Confirm the severity: /incident severity [id] confirm or the Confirm severity button',
  readiness: 'Pass the rollback readiness check: /incident rollback runs it before proposing a rollback',
  decision: 'Record the decision: an approver clicks Approve (or Reject) on the rollback proposal',
  recovery:
    'Validate recovery: the verification checks must pass (they run after the rollback), or resolve with an override and a reason: /incident resolve [id] [summary] --override "<reason>" (or the override field of the Resolve dialog)',
  overrideReason: 'Give a reason for the recovery override: /incident resolve [id] [summary] --override "<reason>"',
  summary:
    'Write the resolution summary: the Resolution field of /incident report [id] (or resolve with one: /incident resolve [id] <summary>)',
  report: 'Write the incident report: /incident report [id] or the Write report button on the resolved incident',
} as const;

function hasText(value: Phrase | null | undefined): boolean {
  return value != null && !isEmptyPhrase(value);
}

/**
 * Gate 3 decision: recovery must be validated by passing checks OR explicitly overridden
 * with a reason — also when no rollback was executed. An incident fixed by other means
 * (a config flip, an upstream recovery) still needs either a verification run or a
 * person saying on the record why none is needed; "nothing was executed" is not proof
 * that the system recovered. The lead may relax this per severity.
 */
function recoveryMissing(facts: GateFacts): string[] {
  if (facts.recoveryValidated) return [];
  if (facts.recoveryOverride) return hasText(facts.recoveryOverride.reason) ? [] : [GATE_INSTRUCTIONS.overrideReason];
  return [GATE_INSTRUCTIONS.recovery];
}

export function evaluateGates(facts: GateFacts): GateStatus[] {
  const gate = (number: GateStatus['gate'], name: string, missing: string[]): GateStatus => ({
    gate: number,
    name,
    passed: missing.length === 0,
    missing,
  });
  return [
    gate(1, 'Severity alignment', facts.severityConfirmed ? [] : [GATE_INSTRUCTIONS.severity]),
    gate(2, 'Mitigation readiness', [
      ...(facts.rollbackReadinessPassed ? [] : [GATE_INSTRUCTIONS.readiness]),
      ...(facts.decisionRecorded ? [] : [GATE_INSTRUCTIONS.decision]),
    ]),
    gate(3, 'Recovery validation', recoveryMissing(facts)),
    gate(4, 'Resolution & documentation', [
      ...(hasText(facts.resolutionSummary) ? [] : [GATE_INSTRUCTIONS.summary]),
      ...(facts.reportWritten ? [] : [GATE_INSTRUCTIONS.report]),
    ]),
  ];
}

function refuseUnless(status: GateStatus, code: string, what: string): Result<{ gate: GateStatus['gate'] }> {
  if (status.passed) return { ok: true, gate: status.gate };
  return refuse(
    code,
    `Gate ${status.gate} (${status.name}) blocks ${what}. Still needed:\n${status.missing.map((m) => `• ${m}`).join('\n')}`,
  );
}

/** Gate 3: recovery validated, or overridden with a reason. */
export function canResolve(facts: GateFacts): Result<{ gate: GateStatus['gate'] }> {
  return refuseUnless(evaluateGates(facts)[2]!, 'gate.recovery_not_validated', 'resolving');
}

/** Gate 4: resolution summary and incident report written. */
export function canClose(facts: GateFacts): Result<{ gate: GateStatus['gate'] }> {
  return refuseUnless(evaluateGates(facts)[3]!, 'gate.documentation_missing', 'closing');
}
