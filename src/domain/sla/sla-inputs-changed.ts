import { gateFacts, type Incident } from '../incident';

/**
 * Whether a change can move any SLA timer: planTimers reads only these fields. Alert counts,
 * notes, links and the like change incidents often during a storm and must not cost a re-plan.
 */
export function slaInputsChanged(previous: Incident, next: Incident): boolean {
  return (
    previous.severity !== next.severity ||
    previous.status !== next.status ||
    previous.acknowledgedAt !== next.acknowledgedAt ||
    previous.lastUpdateAt !== next.lastUpdateAt ||
    previous.resolvedAt !== next.resolvedAt ||
    previous.closedAt !== next.closedAt ||
    previous.createdAt !== next.createdAt ||
    gateFacts(previous).reportWrittenAt !== gateFacts(next).reportWrittenAt
  );
}
