import { describe, expect, it } from 'vitest';
import { blockKitProblems } from '../../support/slack-stand-in';
import { rollbackApprovalView } from '../../../src/adapters/outbound/slack/views/rollback-approval-view';
import { checkDecision, type DecisionFacts } from '../../../src/domain/rollback/approval-guardrails';
import { parseRollbackArgs } from '../../../src/domain/rollback/parse-rollback-args';
import {
  addApproval,
  claimExecution,
  createRequest,
  finishStopped,
  markUnknown,
  recordAttempt,
  requestStop,
  startRun,
  type RollbackRequest,
} from '../../../src/domain/rollback/rollback-request';
import { slackText } from '../../../src/adapters/outbound/slack/views/slack-text';

const NOW = 1_700_000_000_000;
const request = (over: Partial<RollbackRequest> = {}): RollbackRequest => ({
  ...createRequest(
    {
      id: 'INC-20261121-001-R1',
      incidentId: 'INC-20261121-001',
      service: 'checkout',
      release: 'v41',
      level: 'component',
      requestedBy: 'U0REQ',
      severity: 'P1',
      approvalsNeeded: 1,
      ttlMs: 60_000,
      readiness: { passed: true, checks: [], at: NOW },
      runners: ['a', 'b'],
      auto: false,
    },
    NOW,
  ),
  ...over,
});
const facts = (over: Partial<DecisionFacts> = {}): DecisionFacts => ({
  isApprover: true,
  approversConfigured: true,
  incidentId: 'INC-20261121-001',
  incidentStatus: 'investigating',
  incidentOpen: true,
  severityConfirmed: true,
  ...over,
});

describe('checkDecision (guardrails, in order)', () => {
  const cases: [string, RollbackRequest, 'approve' | 'reject' | 'abort', string, Partial<DecisionFacts>, number, string | null, boolean][] =
    [
      ['an approver approves', request(), 'approve', 'U0APP', {}, NOW, null, false],
      ['already running', request({ status: 'running' }), 'approve', 'U0APP', {}, NOW, 'request.decided', false],
      [
        'incident resolved',
        request(),
        'approve',
        'U0APP',
        { incidentOpen: false, incidentStatus: 'resolved' },
        NOW,
        'decision.incident_not_open',
        true,
      ],
      ['expired', request(), 'approve', 'U0APP', {}, NOW + 60_000, 'decision.expired', true],
      [
        'empty approver list',
        request(),
        'approve',
        'U0APP',
        { approversConfigured: false, isApprover: false },
        NOW,
        'decision.no_approvers',
        true,
      ],
      ['non-approver', request(), 'approve', 'U0X', { isApprover: false }, NOW, 'decision.not_approver', true],
      ['self-approval', request(), 'approve', 'U0REQ', {}, NOW, 'decision.self_approval', true],
      ['requester withdraws', request(), 'reject', 'U0REQ', { isApprover: false }, NOW, null, false],
      [
        'same approver twice',
        request({ approvalsNeeded: 2, approvals: [{ by: 'U0APP', at: NOW }] }),
        'approve',
        'U0APP',
        {},
        NOW,
        'decision.already_approved_by_you',
        false,
      ],
      ['gate 1 open', request(), 'approve', 'U0APP', { severityConfirmed: false }, NOW, 'decision.gates_open', true],
      [
        'gate 2 readiness failed',
        request({ readiness: { passed: false, checks: [], at: NOW } }),
        'approve',
        'U0APP',
        {},
        NOW,
        'decision.gates_open',
        true,
      ],
      ['abort a countdown', request({ status: 'countdown', auto: true }), 'abort', 'U0APP', {}, NOW + 120_000, null, false],
      [
        'abort needs an approver',
        request({ status: 'countdown', auto: true }),
        'abort',
        'U0X',
        { isApprover: false },
        NOW,
        'decision.not_approver',
        true,
      ],
    ];
  it.each(cases)('%s', (_name, r, kind, actor, f, now, code, recorded) => {
    const refusal = checkDecision(r, kind, actor, facts(f), now);
    expect(refusal?.code ?? null).toBe(code);
    if (refusal) expect(refusal.recorded).toBe(recorded);
  });
});

describe('request state machine', () => {
  it('two approvals, one claim, fenced writes, unknown after a crash', () => {
    let r = request({ approvalsNeeded: 2 });
    const first = addApproval(r, 'U0A', NOW);
    expect(first.ok && first.request.status).toBe('pending');
    r = (first as any).request;
    r = (addApproval(r, 'U0B', NOW) as any).request;
    expect(r.status).toBe('approved');
    const claimed = claimExecution(r, 7, NOW);
    expect(claimed.ok).toBe(true);
    expect(claimExecution((claimed as any).request, 8, NOW).ok).toBe(false);
    const running = (startRun((claimed as any).request, 7, NOW) as any).request as RollbackRequest;
    expect(
      recordAttempt(running, 6, {
        runner: 'a',
        kind: 'command',
        outcome: 'failed',
        verification: 'skipped',
        detail: '',
        durationMs: 1,
        link: null,
      }).ok,
    ).toBe(false);
    expect((markUnknown(running, 'died', NOW) as any).request.status).toBe('unknown');
  });
});

describe('parseRollbackArgs', () => {
  it.each([
    ['', { service: null, release: null, dryRun: false }],
    ['checkout v41', { service: 'checkout', release: 'v41', dryRun: false }],
    ['v41 --dry-run', { service: null, release: 'v41', dryRun: true }],
    ['—dry-run checkout', { service: 'checkout', release: null, dryRun: true }],
  ])('%s', (text, args) => expect(parseRollbackArgs(text, ['checkout'])).toEqual({ ok: true, args }));
  it.each([['checkout v1 v2'], ['payments v1'], ['--force'], ['checkout `rm`'], [`checkout ${'x'.repeat(101)}`]])('refuses %s', (text) => {
    expect(parseRollbackArgs(text, ['checkout']).ok).toBe(false);
  });
});

describe('stopping a rollback', () => {
  const runningRequest = () =>
    (startRun((claimExecution({ ...request(), status: 'approved' }, 7, NOW) as any).request, 7, NOW) as any).request as RollbackRequest;

  it('only a queued or running request can be asked to stop, once; the job then finishes it as stopped', () => {
    expect(requestStop(request(), 'U0A', NOW)).toMatchObject({
      ok: false,
      code: 'request.not_running',
      reason: expect.stringContaining('reject it instead'),
    });
    const asked = requestStop(runningRequest(), 'U0A', NOW + 5);
    expect(asked.ok && asked.request.stopRequested).toEqual({ by: 'U0A', at: NOW + 5 });
    const again = requestStop((asked as any).request, 'U0B', NOW + 6);
    expect(again).toMatchObject({ ok: false, code: 'request.already_stopping' });
    expect(!again.ok && slackText(again.reason)).toBe('INC-20261121-001-R1 is already stopping (asked by <@U0A>).');
    // Fenced like every execution write: a stale job cannot finish it.
    expect(finishStopped((asked as any).request, 6, 'x', NOW).ok).toBe(false);
    const stopped = finishStopped((asked as any).request, 7, 'a was killed mid-run', NOW + 9);
    expect(stopped.ok && [stopped.request.status, stopped.request.outcomeDetail, stopped.request.execution?.finishedAt]).toEqual([
      'stopped',
      'a was killed mid-run',
      NOW + 9,
    ]);
    const late = requestStop((stopped as any).request, 'U0B', NOW);
    expect(!late.ok && slackText(late.reason)).toBe('INC-20261121-001-R1 was stopped by <@U0A>; it is not re-run automatically.');
  });

  it('the message offers Stop while it runs, says "stopping" once asked, and "Stopped" at the end', () => {
    const plan = {
      level: 'component' as const,
      runners: [{ kind: 'command' as const, name: 'a', argv: ['x'], timeoutMs: 1, graceMs: 1, outputCapBytes: 1024 }],
      readiness: [],
      verification: [],
    };
    const draw = (r: RollbackRequest) =>
      JSON.stringify(
        rollbackApprovalView({
          request: r,
          incident: { id: r.incidentId, title: 't', severity: 'P1', severityConfirmed: { by: 'U0C', at: NOW } },
          plan,
          approvers: { users: ['U0A'], groups: [] },
          placeholders: {},
          now: NOW,
        }).blocks,
      );
    const running = runningRequest();
    expect(draw(running)).toContain('rollback_stop');
    const asked = (requestStop(running, 'U0A', NOW) as any).request as RollbackRequest;
    expect(draw(asked)).not.toContain('rollback_stop');
    expect(draw(asked)).toContain('*stopping* (asked by <@U0A>)');
    expect(draw((finishStopped(asked, 7, 'a was killed mid-run', NOW) as any).request)).toContain(
      '*Stopped* by <@U0A> — a was killed mid-run',
    );
    expect(draw(request())).not.toContain('rollback_stop');
  });
});

describe('approval view', () => {
  it('stays within Slack limits with long names and many checks', () => {
    const long = 'x'.repeat(5000);
    const r = request({
      readiness: {
        passed: false,
        checks: Array.from({ length: 40 }, (_, i) => ({ name: `${long}${i}`, passed: false, detail: long })),
        at: NOW,
      },
    });
    const plan = {
      level: 'component' as const,
      runners: Array.from({ length: 20 }, (_, i) => ({
        kind: 'command' as const,
        name: `r${i}${long}`,
        argv: [long, '{previous_release}'],
        timeoutMs: 1,
        graceMs: 1,
        outputCapBytes: 1024,
      })),
      readiness: [],
      verification: [],
    };
    const view = rollbackApprovalView({
      request: r,
      incident: { id: r.incidentId, title: long, severity: 'P1', severityConfirmed: null },
      plan,
      approvers: { users: ['U0A'], groups: [] },
      placeholders: { previous_release: 'v41' },
      now: NOW,
    });
    expect(blockKitProblems(view.blocks)).toEqual([]);
    expect(view.text.length).toBeLessThanOrEqual(3000);
  });
});
