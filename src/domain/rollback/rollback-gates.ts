import { evaluateGates, type GateStatus } from '../report/gates';

export interface ExecutionGateFacts {
  severityConfirmed: boolean;
  readinessPassed: boolean;
  decisionRecorded: boolean;
  /** An automatic rollback: the matched rule stands for the severity confirmation (the rollout procedures' automatic triggers). */
  auto: boolean;
}

/** Gates 1 and 2 as the approval blocks show them; same wording as the report's gates. */
export function executionGates(facts: ExecutionGateFacts): GateStatus[] {
  return evaluateGates({
    severityConfirmed: facts.severityConfirmed || facts.auto,
    rollbackReadinessPassed: facts.readinessPassed,
    decisionRecorded: facts.decisionRecorded,
    recoveryValidated: false,
    recoveryOverride: null,
    resolutionSummary: null,
    reportWritten: false,
  }).slice(0, 2);
}

/** One sentence per gate still open before the rollback may run; empty when it may. */
export function missingBeforeExecution(facts: ExecutionGateFacts): string[] {
  return executionGates(facts)
    .filter((g) => !g.passed)
    .map((g) => `Gate ${g.gate} (${g.name}) needs: ${g.missing.join('; ')}.`);
}
