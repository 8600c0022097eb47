import { isOpenStatus } from '../domain/lifecycle';
import { checkDecision, type DecisionFacts, type DecisionKind } from '../domain/rollback/approval-guardrails';
import { recordDecision, recordRollbackEvent } from '../domain/rollback/rollback-incident-changes';
import {
  abort,
  addApproval,
  isAwaitingDecision,
  reject,
  describeState,
  requestStop,
  type RollbackRequest,
} from '../domain/rollback/rollback-request';
import { hasApprovers } from '../domain/rollback/service-rollback-config';
import { refuse, type Refusal, type Result } from '../domain/result';
import { checkClickOrigin, type ClickOrigin } from '../domain/rollback/click-origin';
import type { ApproverDirectory } from './rollback-approvers';
import type { RollbackDeps } from './rollback-deps';
import type { RollbackExecution } from './rollback-execution';
import { describeAction } from './rollback-proposals';
import { joinPhrases, phrase, plainText, user, type Phrase } from '../domain/phrase';

export type DecisionOutcome = Result<{ request: RollbackRequest; message: Phrase }>;

const RECORD_KIND = { approve: 'approval', reject: 'rejection', abort: 'rejection' } as const;

/**
 * Approve, Reject and Abort clicks. The guardrails (approval-guardrails.ts) judge each one
 * against the stored request; refused attempts against a guardrail go into the decision log.
 * An approval that completes the request hands it to the execution, which claims it once.
 */
export class RollbackDecisions {
  constructor(
    private readonly deps: RollbackDeps,
    private readonly approvers: ApproverDirectory,
    private readonly execution: RollbackExecution,
  ) {}

  async decide(requestId: string, kind: DecisionKind, actor: string, origin: ClickOrigin): Promise<DecisionOutcome> {
    const { requests, service, clock } = this.deps;
    const stored = await requests.get(requestId);
    if (!stored) return refuse('rollback.no_request', `No rollback request ${requestId.slice(0, 60)}.`);
    const fromItsMessage = checkClickOrigin(stored, origin);
    if (!fromItsMessage.ok) {
      await this.recordDenial(stored, kind, actor, plainText(fromItsMessage.reason));
      return fromItsMessage;
    }
    // Late clicks (already running, done) are answered without any lookup, and logged as attempts.
    if (!isAwaitingDecision(stored.status)) return this.late(stored, kind, actor, refuse('request.decided', describeState(stored)));
    const incident = await service.get(stored.incidentId);
    const config = this.deps.plans(stored.service);
    const approvers = config?.approvers ?? { users: [], groups: [] };
    const check = await this.approvers.check(actor, approvers, stored.service);
    const facts: DecisionFacts = {
      isApprover: check.approver,
      ...(check.approver ? {} : { notApproverWhy: check.why }),
      approversConfigured: hasApprovers(approvers),
      incidentId: stored.incidentId,
      incidentStatus: incident?.status ?? 'missing',
      incidentOpen: incident ? isOpenStatus(incident.status) : false,
      severityConfirmed: incident?.severityConfirmed != null,
    };
    const move = kind === 'approve' ? addApproval : kind === 'reject' ? reject : abort;
    const updated = await requests.update(requestId, (r) => checkDecision(r, kind, actor, facts, clock()) ?? move(r, actor, clock()));
    if (!updated.ok) {
      if ('recorded' in updated && updated.recorded) await this.recordDenial(stored, kind, actor, plainText(updated.reason));
      else await this.late(stored, kind, actor, updated);
      return updated;
    }
    const { request } = updated;
    const at = clock();
    await this.deps.records.addDecision(request.incidentId, {
      kind: RECORD_KIND[kind],
      by: actor,
      at,
      action: describeAction(request),
      reason: kind === 'abort' ? 'automatic rollback aborted' : null,
    });
    const complete = request.status === 'approved';
    const text =
      kind === 'approve'
        ? complete
          ? phrase`Rollback ${request.id} approved by ${user(actor)}${
              request.approvals.length > 1
                ? phrase` (with ${joinPhrases(
                    request.approvals.slice(0, -1).map((a) => [user(a.by)]),
                    ', ',
                  )})`
                : ''
            }; starting.`
          : phrase`Rollback ${request.id}: approval ${request.approvals.length}/${request.approvalsNeeded} by ${user(actor)}; another approver is needed.`
        : kind === 'reject'
          ? phrase`Rollback ${request.id} ${actor === request.requestedBy ? 'withdrawn' : 'rejected'} by ${user(actor)}.`
          : phrase`Automatic rollback ${request.id} aborted by ${user(actor)}.`;
    const event = {
      at,
      actor,
      kind:
        kind === 'approve'
          ? complete
            ? 'rollback_approved'
            : 'rollback_approval'
          : kind === 'reject'
            ? 'rollback_rejected'
            : 'rollback_aborted',
      text,
      details: { request: request.id },
    };
    // Gate 2's "decision recorded" is the approval that lets the rollback run. Its timeline write
    // goes first; the claim does not wait for the observers (Slack pacing) that follow it.
    const recorded = service.apply(request.incidentId, (i) => (complete ? recordDecision(i, event) : recordRollbackEvent(i, event)));
    if (complete) await this.execution.queue(request.id);
    else this.deps.messenger()?.refresh(request.id);
    await recorded;
    if (kind === 'abort') await this.deps.timers.cancel(`rollback:${request.id}:countdown`);
    if (!isAwaitingDecision(request.status)) await this.deps.timers.cancel(`rollback:${request.id}:expire`);
    const message =
      kind === 'approve'
        ? complete
          ? `Approved; ${request.id} is starting.`
          : `Approval recorded (${request.approvals.length}/${request.approvalsNeeded}); one more approver is needed.`
        : text;
    return { ok: true, request, message };
  }

  /**
   * "Stop rollback" on a queued or running rollback: approvers of the service, or whoever
   * proposed it, may stop it. The stop is stored; the job running it sees it within
   * half a second, kills its runner and runs no fallback. Others are refused and the attempt
   * is recorded as a denial.
   */
  async stop(requestId: string, actor: string, origin: ClickOrigin): Promise<DecisionOutcome> {
    const { requests, clock } = this.deps;
    const stored = await requests.get(requestId);
    if (!stored) return refuse('rollback.no_request', `No rollback request ${requestId.slice(0, 60)}.`);
    const fromItsMessage = checkClickOrigin(stored, origin);
    if (!fromItsMessage.ok) {
      await this.recordDenial(stored, 'stop', actor, plainText(fromItsMessage.reason));
      return fromItsMessage;
    }
    const late = requestStop(stored, actor, clock());
    if (!late.ok) return this.late(stored, 'stop', actor, late);
    const approvers = this.deps.plans(stored.service)?.approvers ?? { users: [], groups: [] };
    const check = actor === stored.requestedBy ? null : await this.approvers.check(actor, approvers, stored.service);
    if (check && !check.approver) {
      const reason = `Only approvers of ${stored.service} rollbacks, or whoever proposed it, can stop it. ${check.why}`;
      await this.recordDenial(stored, 'stop', actor, reason);
      return refuse('decision.not_approver', reason);
    }
    const updated = await requests.update(requestId, (r) => requestStop(r, actor, clock()));
    if (!updated.ok) return this.late(stored, 'stop', actor, updated);
    const { request } = updated;
    const at = clock();
    await this.deps.records.addDecision(request.incidentId, {
      kind: 'stop',
      by: actor,
      at,
      action: describeAction(request),
      reason: 'stopped by a person while it ran',
    });
    const text = phrase`Stop of rollback ${request.id} asked by ${user(actor)}; killing \`${request.runners[request.runnerIndex] ?? 'its runner'}\`.`;
    await this.deps.service.apply(request.incidentId, (i) =>
      recordRollbackEvent(i, { at, actor, kind: 'rollback_stop_requested', text, details: { request: request.id } }),
    );
    this.deps.messenger()?.refresh(request.id);
    return {
      ok: true,
      request,
      message: `Stopping ${request.id}: its runner is being killed and no fallback will run. The message above says when it has stopped.`,
    };
  }

  /**
   * A click that came too late (already running, decided, done, a concurrent click won) changes
   * nothing, but it is an attempt: it goes into the decision log (not the timeline, which would
   * drown in 49 "already running" lines when 50 people click at once).
   */
  private async late<R extends Refusal>(request: RollbackRequest, kind: DecisionKind | 'stop', actor: string, refusal: R): Promise<R> {
    await this.deps.records.addDecision(request.incidentId, {
      kind: 'denial',
      by: actor,
      at: this.deps.clock(),
      action: `${kind} ${describeAction(request)}`,
      reason: `too late: ${refusal.reason}`,
    });
    return refusal;
  }

  private async recordDenial(request: RollbackRequest, kind: DecisionKind | 'stop', actor: string, reason: string): Promise<void> {
    const at = this.deps.clock();
    await this.deps.records.addDecision(request.incidentId, {
      kind: 'denial',
      by: actor,
      at,
      action: `${kind} ${describeAction(request)}`,
      reason,
    });
    await this.deps.service.apply(request.incidentId, (i) =>
      recordRollbackEvent(i, {
        at,
        actor,
        kind: 'rollback_denied',
        text: phrase`Refused ${kind} of ${request.id} by ${user(actor)}: ${reason}`,
        details: { request: request.id, decision: kind },
      }),
    );
    this.deps.log.info({ request: request.id, actor, kind, reason }, 'rollback decision refused');
  }
}
