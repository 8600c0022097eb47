import { refuse, type Result } from '../result';
import type { RollbackLevel } from './rollback-plan';
import type { RollbackStep, RunOutcome } from './rollback-runner';
import { phrase, user, type Phrase } from '../phrase';

/**
 * A rollback request and its life, as a table of moves:
 *
 *   countdown ─(timer)→ queued                    automatic rollback (rollout procedures' triggers)
 *   countdown ─(abort)→ aborted
 *   pending ─(approve, enough approvers)→ approved ─(claim, fencing token)→ queued
 *   pending ─(reject | expire | newer proposal)→ rejected | expired | superseded
 *   queued ─(job starts)→ running ─→ succeeded | failed
 *   queued | running ─(stop asked, runner killed)→ stopped   no fallback, a person decides
 *   running ─(its process died)→ unknown          never re-run by itself
 */
export const REQUEST_STATUSES = [
  'countdown',
  'pending',
  'approved',
  'queued',
  'running',
  'succeeded',
  'failed',
  'unknown',
  'rejected',
  'expired',
  'superseded',
  'aborted',
  'stopped',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

const FINAL: readonly RequestStatus[] = ['succeeded', 'failed', 'unknown', 'rejected', 'expired', 'superseded', 'aborted', 'stopped'];

export function isFinal(status: RequestStatus): boolean {
  return FINAL.includes(status);
}

/** Waiting for people (approval or abort); nothing has run yet. */
export function isAwaitingDecision(status: RequestStatus): boolean {
  return status === 'pending' || status === 'countdown';
}

export interface CheckOutcome {
  name: string;
  passed: boolean;
  detail: string;
}

export interface ReadinessResult {
  passed: boolean;
  checks: CheckOutcome[];
  at: number;
}

/** One runner tried during the execution, with what its verification said. */
export interface RunnerAttempt {
  runner: string;
  kind: string;
  outcome: RunOutcome;
  /** null while not verified; 'skipped' when the runner itself failed. */
  verification: 'passed' | 'failed' | 'skipped' | null;
  detail: string;
  durationMs: number;
  link: string | null;
}

export interface SlackMessageRef {
  channel: string;
  ts: string;
}

export interface RollbackRequest {
  /** `<incident id>-R<n>`; Slack buttons carry only this. */
  id: string;
  incidentId: string;
  service: string;
  release: string | null;
  level: RollbackLevel;
  /** Slack user id, or `auto:<rule>` for an automatic rollback. */
  requestedBy: string;
  requestedAt: number;
  expiresAt: number;
  /** Severity when proposed: P0 may need two approvers. */
  severity: string;
  approvalsNeeded: number;
  approvals: { by: string; at: number }[];
  decidedBy: { by: string; at: number; kind: 'rejection' | 'abort' } | null;
  readiness: ReadinessResult;
  status: RequestStatus;
  auto: boolean;
  /** Runner names in order (primary first), as they were when proposed. */
  runners: string[];
  runnerIndex: number;
  attempts: RunnerAttempt[];
  execution: { token: number; claimedAt: number; startedAt: number | null; finishedAt: number | null } | null;
  /** Someone asked to stop it while queued or running; the executing job kills the runner. Absent on older records. */
  stopRequested?: { by: string; at: number } | null;
  progress: { runner: string; step: RollbackStep | null; elapsedMs: number; link: string | null } | null;
  /** What failed, or why the outcome is unknown, in one line for people. */
  outcomeDetail: string | null;
  /** Approval messages (incident channel, incident-response channel), updated in place. */
  messages: SlackMessageRef[];
  supersededBy: string | null;
  version: number;
}

/** What a proposal supplies; the rest of a request starts empty. */
export type NewRequest = Pick<
  RollbackRequest,
  'id' | 'incidentId' | 'service' | 'release' | 'level' | 'requestedBy' | 'severity' | 'approvalsNeeded' | 'readiness' | 'runners' | 'auto'
> & {
  /** How long it may wait for approval. */
  ttlMs: number;
};

export function createRequest(input: NewRequest, now: number): RollbackRequest {
  return {
    id: input.id,
    incidentId: input.incidentId,
    service: input.service,
    release: input.release,
    level: input.level,
    requestedBy: input.requestedBy,
    requestedAt: now,
    expiresAt: now + input.ttlMs,
    severity: input.severity,
    approvalsNeeded: input.approvalsNeeded,
    approvals: [],
    decidedBy: null,
    readiness: input.readiness,
    status: input.auto ? 'countdown' : 'pending',
    auto: input.auto,
    runners: input.runners,
    runnerIndex: 0,
    attempts: [],
    execution: null,
    progress: null,
    outcomeDetail: null,
    messages: [],
    supersededBy: null,
    stopRequested: null,
    version: 0,
  };
}

export type RequestChange = Result<{ request: RollbackRequest }>;

const ok = (request: RollbackRequest): RequestChange => ({ ok: true, request });

/** What a later click is told once the request left `pending`. */
export function describeState(request: RollbackRequest): Phrase {
  const who = (u: string): Phrase => (u.startsWith('auto:') ? 'the automatic rollback rule' : [user(u)]);
  switch (request.status) {
    case 'countdown':
      return `${request.id} is counting down to an automatic rollback.`;
    case 'pending':
      return `${request.id} is waiting for approval.`;
    case 'approved':
    case 'queued':
    case 'running':
      return `${request.id} is already approved and ${request.status === 'running' ? 'running' : 'starting'}; it runs once.`;
    case 'succeeded':
      return `${request.id} already ran and succeeded.`;
    case 'failed':
      return `${request.id} already ran and failed; propose a new rollback if needed.`;
    case 'unknown':
      return `${request.id} was interrupted; its outcome is unknown and it is not re-run automatically.`;
    case 'rejected':
      return phrase`${request.id} was rejected by ${who(request.decidedBy?.by ?? '?')}.`;
    case 'expired':
      return `${request.id} expired without enough approvals; propose it again.`;
    case 'superseded':
      return `${request.id} was replaced by ${request.supersededBy ?? 'a newer proposal'}.`;
    case 'aborted':
      return phrase`${request.id} was aborted by ${who(request.decidedBy?.by ?? '?')}.`;
    case 'stopped':
      return phrase`${request.id} was stopped by ${who(request.stopRequested?.by ?? '?')}; it is not re-run automatically.`;
  }
}

/** Asks the running (or starting) rollback to stop; the job that runs it kills its runner and runs no fallback. */
export function requestStop(request: RollbackRequest, by: string, now: number): RequestChange {
  if (request.status !== 'queued' && request.status !== 'running') {
    return refuse(
      'request.not_running',
      isFinal(request.status) ? describeState(request) : `${request.id} is not running yet; nothing to stop (reject it instead).`,
    );
  }
  if (request.stopRequested)
    return refuse('request.already_stopping', phrase`${request.id} is already stopping (asked by ${user(request.stopRequested.by)}).`);
  return ok({ ...request, stopRequested: { by, at: now } });
}

/** The job saw the stop and its runner ended: final, no fallback. */
export function finishStopped(request: RollbackRequest, token: number, detail: string, now: number): RequestChange {
  if (request.execution?.token !== token) return refuse('request.fenced', `${request.id} belongs to another execution.`);
  if (request.status !== 'running' && request.status !== 'queued') return refuse('request.wrong_state', describeState(request));
  return ok({ ...request, status: 'stopped', outcomeDetail: detail, progress: null, execution: { ...request.execution, finishedAt: now } });
}

/** Records one approval; the request becomes `approved` once enough distinct approvers agreed. Guardrails are checked before (approval-guardrails). */
export function addApproval(request: RollbackRequest, by: string, now: number): RequestChange {
  if (request.status !== 'pending') return refuse('request.decided', describeState(request));
  if (request.approvals.some((a) => a.by === by))
    return refuse(
      'request.already_approved_by_you',
      `You already approved ${request.id}; it needs ${request.approvalsNeeded} distinct approvers.`,
    );
  const approvals = [...request.approvals, { by, at: now }];
  return ok({ ...request, approvals, status: approvals.length >= request.approvalsNeeded ? 'approved' : 'pending' });
}

export function reject(request: RollbackRequest, by: string, now: number): RequestChange {
  if (request.status !== 'pending') return refuse('request.decided', describeState(request));
  return ok({ ...request, status: 'rejected', decidedBy: { by, at: now, kind: 'rejection' } });
}

export function abort(request: RollbackRequest, by: string, now: number): RequestChange {
  if (request.status !== 'countdown') return refuse('request.decided', describeState(request));
  return ok({ ...request, status: 'aborted', decidedBy: { by, at: now, kind: 'abort' } });
}

export function expire(request: RollbackRequest, now: number): RequestChange {
  if (request.status !== 'pending') return refuse('request.decided', describeState(request));
  if (now < request.expiresAt) return refuse('request.not_expired', `${request.id} is still valid.`);
  return ok({ ...request, status: 'expired' });
}

export function supersede(request: RollbackRequest, by: string): RequestChange {
  if (!isAwaitingDecision(request.status)) return refuse('request.decided', describeState(request));
  return ok({ ...request, status: 'superseded', supersededBy: by });
}

/**
 * The atomic claim: only an approved request (or a finished countdown) is claimed, once.
 * The store's compare-and-set makes exactly one caller win; the token fences later writes.
 */
export function claimExecution(request: RollbackRequest, token: number, now: number): RequestChange {
  const claimable = request.status === 'approved' || request.status === 'countdown';
  if (!claimable || request.execution) return refuse('request.not_claimable', describeState(request));
  return ok({ ...request, status: 'queued', execution: { token, claimedAt: now, startedAt: null, finishedAt: null } });
}

function fenced(request: RollbackRequest, token: number, status: RequestStatus): RequestChange | null {
  if (request.execution?.token !== token)
    return refuse(
      'request.fenced',
      `${request.id} belongs to another execution (token ${request.execution?.token ?? 'none'}, ours ${token}).`,
    );
  if (request.status !== status) return refuse('request.wrong_state', describeState(request));
  return null;
}

export function startRun(request: RollbackRequest, token: number, now: number): RequestChange {
  const refused = fenced(request, token, 'queued');
  if (refused) return refused;
  return ok({ ...request, status: 'running', execution: { ...request.execution!, startedAt: now } });
}

export function recordProgress(request: RollbackRequest, token: number, progress: NonNullable<RollbackRequest['progress']>): RequestChange {
  const refused = fenced(request, token, 'running');
  if (refused) return refused;
  return ok({ ...request, progress });
}

/** One runner finished (and was verified or not); the next one, if any, is current. */
export function recordAttempt(request: RollbackRequest, token: number, attempt: RunnerAttempt): RequestChange {
  const refused = fenced(request, token, 'running');
  if (refused) return refused;
  return ok({ ...request, attempts: [...request.attempts, attempt], runnerIndex: request.runnerIndex + 1, progress: null });
}

export function finishExecution(
  request: RollbackRequest,
  token: number,
  outcome: 'succeeded' | 'failed',
  detail: string,
  now: number,
): RequestChange {
  const refused = fenced(request, token, 'running');
  if (refused) return refused;
  return ok({ ...request, status: outcome, outcomeDetail: detail, progress: null, execution: { ...request.execution!, finishedAt: now } });
}

/** Its runner's process died mid-run: nobody knows what the rollback did, so a person decides. */
export function markUnknown(request: RollbackRequest, reason: string, now: number): RequestChange {
  if (request.status !== 'running' && request.status !== 'queued') return refuse('request.wrong_state', describeState(request));
  return ok({
    ...request,
    status: 'unknown',
    outcomeDetail: reason,
    execution: request.execution ? { ...request.execution, finishedAt: now } : null,
  });
}

export function attachMessages(request: RollbackRequest, messages: SlackMessageRef[]): RequestChange {
  return ok({ ...request, messages: [...request.messages, ...messages] });
}

/** `{name}` values a request's runners and checks may use. Release ones exist only when a release was given. */
export function requestPlaceholders(
  request: Pick<RollbackRequest, 'id' | 'incidentId' | 'service' | 'severity' | 'release' | 'requestedBy'>,
): Record<string, string> {
  return {
    incident_id: request.incidentId,
    request_id: request.id,
    service: request.service,
    severity: request.severity,
    requested_by: request.requestedBy,
    ...(request.release !== null ? { release: request.release, previous_release: request.release } : {}),
  };
}
