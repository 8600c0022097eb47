import { describe, expect, it } from 'vitest';
import {
  rollbackApprovalView,
  rollbackFailedText,
  stabilizedView,
} from '../../../src/adapters/outbound/slack/views/rollback-approval-view';
import {
  REQUEST_STATUSES,
  requestPlaceholders,
  type RequestStatus,
  type RollbackRequest,
} from '../../../src/domain/rollback/rollback-request';
import { APPROVERS, expectSnapshot, expectView, ID, MIN, PLAN, request, T0 } from './render-fixtures';

const STARTED = T0 + 25 * MIN;
const approved = { approvals: [{ by: 'U0APPROVER', at: T0 + 22 * MIN }] };
const execution = { execution: { token: 7, claimedAt: STARTED, startedAt: STARTED, finishedAt: null } };
const firstFailed = {
  runner: 'deploy-script',
  kind: 'command',
  outcome: 'failed' as const,
  verification: 'skipped' as const,
  detail: 'exit code 1: kubectl: context "prod" not found',
  durationMs: 12_000,
  link: null,
};

/** The request as it stands in each status of its life (see the table in rollback-request.ts). */
const IN_STATUS: Record<RequestStatus, Partial<RollbackRequest>> = {
  countdown: { status: 'countdown', auto: true, requestedBy: 'auto:error-rate-p0', approvalsNeeded: 0 },
  pending: {},
  approved: { status: 'approved', ...approved },
  queued: { status: 'queued', ...approved, ...execution },
  running: {
    status: 'running',
    ...approved,
    ...execution,
    progress: {
      runner: 'deploy-script',
      step: { index: 2, total: 4, label: 'kubectl rollout undo' },
      elapsedMs: 45_000,
      link: 'https://github.com/acme/deploy/actions/runs/1',
    },
  },
  succeeded: {
    status: 'succeeded',
    ...approved,
    runnerIndex: 1,
    attempts: [
      firstFailed,
      {
        runner: 'rollback-workflow',
        kind: 'github_actions',
        outcome: 'succeeded',
        verification: 'passed',
        detail: 'workflow run 1 succeeded',
        durationMs: 95_000,
        link: 'https://github.com/acme/deploy/actions/runs/1',
      },
    ],
    outcomeDetail: 'rollback-workflow succeeded; checkout healthy passed 3/3.',
  },
  failed: {
    status: 'failed',
    ...approved,
    runnerIndex: 1,
    attempts: [
      firstFailed,
      { ...firstFailed, runner: 'rollback-workflow', kind: 'github_actions', outcome: 'timed_out', detail: 'no result after 15m' },
    ],
    outcomeDetail: 'Every runner failed.',
  },
  unknown: { status: 'unknown', ...approved, ...execution, outcomeDetail: 'The bot running it stopped mid-run.' },
  rejected: { status: 'rejected', decidedBy: { by: 'U0LEAD', at: T0 + 23 * MIN, kind: 'rejection' } },
  expired: { status: 'expired' },
  superseded: { status: 'superseded', supersededBy: `${ID}-R2` },
  aborted: {
    status: 'aborted',
    auto: true,
    requestedBy: 'auto:error-rate-p0',
    approvalsNeeded: 0,
    decidedBy: { by: 'U0LEAD', at: T0 + 21 * MIN, kind: 'abort' },
  },
  stopped: {
    status: 'stopped',
    ...approved,
    ...execution,
    stopRequested: { by: 'U0LEAD', at: STARTED + MIN },
    outcomeDetail: 'deploy-script was killed at step 2/4.',
  },
};

const incident = { id: ID, title: 'Checkout returns 500s', severity: 'P1' as const, severityConfirmed: { by: 'U0CMD', at: T0 + 3 * MIN } };
const render = (r: RollbackRequest, over: { status?: 'investigating' | 'resolved'; dryRun?: boolean } = {}) =>
  rollbackApprovalView({
    request: r,
    incident: { ...incident, status: over.status ?? 'investigating' },
    plan: PLAN,
    approvers: APPROVERS,
    placeholders: requestPlaceholders(r),
    now: T0 + 21 * MIN,
    ...(over.dryRun ? { dryRun: true } : {}),
  });

describe('rollback approval snapshots', () => {
  for (const status of REQUEST_STATUSES)
    it(`${status}`, async () => {
      await expectView(`rollback-${status}`, render(request(IN_STATUS[status])));
    });

  it('pending with two approvals needed, one given, readiness failed', async () => {
    const r = request({
      approvalsNeeded: 2,
      severity: 'P0',
      approvals: [{ by: 'U0APPROVER', at: T0 + 22 * MIN }],
      readiness: {
        passed: false,
        checks: [
          { name: 'artifact present', passed: false, detail: '/releases/v41 is missing' },
          { name: 'cluster reachable', passed: true, detail: 'kubectl get ns answered' },
        ],
        at: T0 + 20 * MIN,
      },
    });
    await expectView('rollback-pending-two-approvers', render(r));
  });

  it('pending after the incident was resolved: no buttons, says why', async () => {
    await expectView('rollback-pending-incident-resolved', render(request(), { status: 'resolved' }));
  });

  it('dry run', async () => {
    await expectView('rollback-dry-run', render(request(), { dryRun: true }));
  });

  it('no approvers configured', async () => {
    const view = rollbackApprovalView({
      request: request(),
      incident,
      plan: PLAN,
      approvers: { users: [], groups: [] },
      placeholders: requestPlaceholders(request()),
      now: T0 + 21 * MIN,
    });
    await expectView('rollback-no-approvers', view);
  });

  it('system stabilized — resolve?', async () => {
    await expectView('rollback-stabilized', stabilizedView(request(IN_STATUS.succeeded)));
  });

  it('manual intervention text', async () => {
    const text = rollbackFailedText(request(IN_STATUS.failed), ['<@U0CMD>', '<!subteam^S0SRE>']);
    expect(text.length).toBeLessThanOrEqual(3000);
    await expectSnapshot('rollback-failed-text', { text });
  });
});
