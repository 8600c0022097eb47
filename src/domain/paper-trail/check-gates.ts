import type { Incident } from '../incident';
import { canClose, canResolve } from '../report/gates';
import type { Refusal } from '../result';
import { gateFactsOf } from './gate-facts-of';

/**
 * Gates 3 and 4 as a guard on a change: a move into `resolved` or `closed` is judged on
 * the incident as the change leaves it, so an override given with the resolve counts,
 * and the check runs inside the same compare-and-set as the write.
 */
export function checkGates(previous: Incident, next: Incident): Refusal | null {
  if (previous.status === next.status) return null;
  if (next.status === 'resolved') {
    const verdict = canResolve(gateFactsOf(next));
    return verdict.ok ? null : verdict;
  }
  if (next.status === 'closed') {
    const verdict = canClose(gateFactsOf(next));
    return verdict.ok ? null : verdict;
  }
  return null;
}
