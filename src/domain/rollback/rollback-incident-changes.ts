import { gateFacts, type Change, type GateFacts, type Incident } from '../incident';
import { checkTransition } from '../lifecycle';
import type { TimelineEventInput } from '../timeline';

/**
 * Incident changes made by the rollback flow: timeline entries plus the gate facts it owns
 * (readiness, decision, recovery). They never refuse a closed incident: the paper trail of a
 * rollback is kept whatever happened to the incident meanwhile.
 */
function withGates(incident: Incident, gates: Partial<GateFacts>, events: TimelineEventInput[]): Change {
  return { ok: true, incident: { ...incident, gates: { ...gateFacts(incident), ...gates } }, events };
}

export function recordRollbackEvent(incident: Incident, ...events: TimelineEventInput[]): Change {
  return { ok: true, incident, events };
}

/** Gate 2, first half: the readiness checks of the proposed plan passed (the latest pass counts). */
export function recordReadiness(incident: Incident, passed: boolean, event: TimelineEventInput): Change {
  return passed ? withGates(incident, { readinessPassedAt: event.at }, [event]) : recordRollbackEvent(incident, event);
}

/** Gate 2, second half: an approver's decision (approval or rejection) is on record. */
export function recordDecision(incident: Incident, event: TimelineEventInput): Change {
  return withGates(incident, { decisionRecordedAt: event.at }, [event]);
}

/**
 * Gate 3: verification passed after the rollback. An open incident moves to monitoring
 * (the four-gate protocol: watch before resolving); resolving stays a person's decision.
 */
export function recordRecoveryValidated(incident: Incident, event: TimelineEventInput): Change {
  const events = [event];
  let next: Incident = { ...incident, gates: { ...gateFacts(incident), recoveryValidatedAt: event.at } };
  if (checkTransition(incident.status, 'monitoring').ok) {
    next = { ...next, status: 'monitoring' };
    events.push({
      at: event.at,
      actor: event.actor,
      kind: 'status',
      text: `Status ${incident.status} → monitoring`,
      details: { from: incident.status, to: 'monitoring' },
    });
  }
  return { ok: true, incident: next, events };
}
