import { gateFacts, type Incident } from '../incident';
import type { GateFacts } from '../report/gates';

/** The gates' view of an incident: everything they judge is stored on the incident itself. */
export function gateFactsOf(incident: Incident): GateFacts {
  const facts = gateFacts(incident);
  return {
    severityConfirmed: incident.severityConfirmed !== null,
    rollbackReadinessPassed: facts.readinessPassedAt !== null,
    decisionRecorded: facts.decisionRecordedAt !== null,
    recoveryValidated: facts.recoveryValidatedAt !== null,
    recoveryOverride: facts.recoveryOverride ? { by: facts.recoveryOverride.by, reason: facts.recoveryOverride.reason } : null,
    resolutionSummary: incident.resolutionSummary,
    reportWritten: facts.reportWrittenAt !== null,
  };
}
