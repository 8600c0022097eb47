import type { Refusal } from '../result';
import { describeState, type RollbackRequest } from './rollback-request';
import { missingBeforeExecution } from './rollback-gates';
import type { Phrase } from '../phrase';

export type DecisionKind = 'approve' | 'reject' | 'abort';

/** What the app looked up for one click; the rules below only judge it. */
export interface DecisionFacts {
  /** The clicker is in the service's approver users or one of its groups (by user id). */
  isApprover: boolean;
  /** Why not, when not (not listed, a guest, deactivated, account lookup failed). */
  notApproverWhy?: string;
  /** At least one approver user or group is configured. */
  approversConfigured: boolean;
  incidentId: string;
  incidentStatus: string;
  incidentOpen: boolean;
  severityConfirmed: boolean;
}

/**
 * A refused decision. `recorded` refusals are attempts against a guardrail and go into the
 * decision log as denials; the others ("already running") are just late clicks.
 */
export type DecisionRefusal = Refusal & { recorded: boolean };

const deny = (code: string, reason: string): DecisionRefusal => ({ ok: false, code, reason, recorded: true });
const late = (code: string, reason: Phrase): DecisionRefusal => ({ ok: false, code, reason, recorded: false });

/**
 * The guardrails, in order:
 * 1. only a request still waiting for a decision can be decided (later clicks hear its state);
 * 2. not once the incident is resolved or closed;
 * 3. not after the approval expired (a countdown has no expiry: it runs or is aborted);
 * 4. an empty approver list means nobody may decide (fail closed);
 * 5. only an approver (by user id) decides; the requester may still withdraw (reject) their own;
 * 6. the requester never approves their own rollback;
 * 7. each approver counts once (two-person rule for P0);
 * 8. approving needs gates 1 and 2 (severity confirmed, readiness passed): the decision is what starts it.
 */
export function checkDecision(
  request: RollbackRequest,
  kind: DecisionKind,
  actor: string,
  facts: DecisionFacts,
  now: number,
): DecisionRefusal | null {
  const awaiting = kind === 'abort' ? request.status === 'countdown' : request.status === 'pending';
  if (!awaiting) return late('request.decided', describeState(request));
  if (!facts.incidentOpen)
    return deny('decision.incident_not_open', `${facts.incidentId} is ${facts.incidentStatus}; rollback decisions are closed.`);
  if (kind !== 'abort' && now >= request.expiresAt)
    return deny('decision.expired', `${request.id} expired; approvals are valid for a limited time. Propose the rollback again.`);
  if (!facts.approversConfigured)
    return deny(
      'decision.no_approvers',
      `Nobody may approve rollbacks of ${request.service}: its approver list is empty. Add approvers under services[].rollback.approvers.`,
    );
  const withdrawing = kind === 'reject' && actor === request.requestedBy;
  if (!facts.isApprover && !withdrawing)
    return deny('decision.not_approver', facts.notApproverWhy ?? `You are not an approver for ${request.service} rollbacks.`);
  if (kind !== 'approve') return null;
  if (actor === request.requestedBy) return deny('decision.self_approval', 'You proposed this rollback; someone else must approve it.');
  if (request.approvals.some((a) => a.by === actor))
    return late(
      'decision.already_approved_by_you',
      `You already approved ${request.id}; it needs ${request.approvalsNeeded} distinct approvers.`,
    );
  const missing = missingBeforeExecution({
    severityConfirmed: facts.severityConfirmed,
    readinessPassed: request.readiness.passed,
    decisionRecorded: true,
    auto: request.auto,
  });
  if (missing.length) return deny('decision.gates_open', `Not yet: ${missing.join(' ')}`);
  return null;
}
