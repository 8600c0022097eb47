import type { Incident } from '../incident';

/**
 * Whether something the rollback approval blocks show about the incident changed: its title,
 * severity, the confirmation of it (gate 1), its state, or the gate facts (readiness, decision,
 * recovery, report).
 */
export function approvalFactsChanged(before: Incident, after: Incident): boolean {
  return (
    before.title !== after.title ||
    before.severity !== after.severity ||
    (before.severityConfirmed === null) !== (after.severityConfirmed === null) ||
    before.status !== after.status ||
    JSON.stringify(before.gates ?? null) !== JSON.stringify(after.gates ?? null)
  );
}
