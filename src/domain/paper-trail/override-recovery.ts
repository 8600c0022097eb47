import { gateFacts, type Change, type Incident } from '../incident';
import { isOpenStatus } from '../lifecycle';
import { refuse } from '../result';
import { phrase, user } from '../phrase';

/** Gate 3's alternative: a person resolves without validated recovery and says why, on the record. */
export function overrideRecovery(incident: Incident, by: string, reason: string, now: number): Change {
  if (!isOpenStatus(incident.status))
    return refuse(
      'override.not_open',
      `${incident.id} is ${incident.status}; a recovery override only goes with resolving an open incident.`,
    );
  const why = reason.replace(/\s+/g, ' ').trim();
  if (!why)
    return refuse('override.no_reason', 'A recovery override needs a reason: `/incident resolve [id] [summary] --override "<reason>"`.');
  const gates = { ...gateFacts(incident), recoveryOverride: { by, reason: why, at: now } };
  return {
    ok: true,
    incident: { ...incident, gates },
    events: [
      {
        at: now,
        actor: by,
        kind: 'recovery_override',
        text: phrase`Recovery validation overridden by ${user(by)}: ${why}`,
        details: { reason: why },
      },
    ],
  };
}
