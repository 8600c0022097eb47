import { refuse, type Result } from './result';

/** Status page vocabulary (the incident response plan): investigating → identified → monitoring → resolved → closed. */
export const STATUSES = ['investigating', 'identified', 'monitoring', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof STATUSES)[number];

export function isStatus(value: unknown): value is IncidentStatus {
  return typeof value === 'string' && (STATUSES as readonly string[]).includes(value);
}

/**
 * Allowed moves. Anything missing here is refused with the reason below.
 * Moving backwards while active is allowed (a fix that did not hold goes back to
 * investigating); resolved may be reopened; closed is final.
 */
const TRANSITIONS: Record<IncidentStatus, readonly IncidentStatus[]> = {
  investigating: ['identified', 'monitoring', 'resolved'],
  identified: ['investigating', 'monitoring', 'resolved'],
  monitoring: ['investigating', 'identified', 'resolved'],
  resolved: ['closed', 'investigating'],
  closed: [],
};

export function isOpenStatus(status: IncidentStatus): boolean {
  return status !== 'resolved' && status !== 'closed';
}

export function checkTransition(from: IncidentStatus, to: IncidentStatus): Result<{ from: IncidentStatus; to: IncidentStatus }> {
  if (from === to) return refuse('transition.same', `The incident is already ${to}.`);
  if (TRANSITIONS[from].includes(to)) return { ok: true, from, to };
  if (from === 'closed') return refuse('transition.closed', 'The incident is closed; closed incidents cannot change.');
  if (to === 'closed')
    return refuse('transition.close_unresolved', `Only a resolved incident can be closed (it is ${from}); resolve it first.`);
  return refuse('transition.invalid', `Cannot move from ${from} to ${to}; allowed: ${TRANSITIONS[from].join(', ')}.`);
}
