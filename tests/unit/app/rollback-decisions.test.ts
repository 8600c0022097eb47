import { describe, expect, it } from 'vitest';
import type { ClickOrigin } from '../../../src/domain/rollback/click-origin';
import { plainText } from '../../../src/domain/phrase';
import { failed } from '../../fakes/rollback-runners';
import {
  onItsMessage,
  openIncident,
  propose,
  REVERT_LAST,
  rollbackTimeline,
  rollbackWorld,
  runDueJobs,
  type World,
} from './rollback-world';

const said = (outcome: { ok: true; message: Parameters<typeof plainText>[0] } | { ok: false; reason: Parameters<typeof plainText>[0] }) =>
  plainText(outcome.ok ? outcome.message : outcome.reason);

async function statusOf(w: World, requestId: string) {
  return (await w.requests.get(requestId))?.status;
}

describe('RollbackDecisions: an approval starts the rollback (in-memory ports)', () => {
  it("an approver's approval is logged, put on the timeline as gate 2's decision, and runs the rollback once", async () => {
    const w = rollbackWorld();
    const id = await openIncident(w);
    const r = await propose(w, id);
    const outcome = await w.decisions.decide(r.id, 'approve', 'U0APPROVER', onItsMessage(r.id));
    expect(said(outcome)).toBe(`Approved; ${r.id} is starting.`);
    expect(await statusOf(w, r.id)).toBe('queued');
    expect((await w.records.decisions(id)).map((d) => [d.kind, d.by])).toEqual([
      ['proposal', 'U0PROPOSER'],
      ['approval', 'U0APPROVER'],
    ]);
    expect(await rollbackTimeline(w, id)).toContain(`rollback_approved: Rollback ${r.id} approved by U0APPROVER; starting.`);
    expect((await w.service.get(id))?.gates?.decisionRecordedAt).toBe(w.clock());
    expect(await w.timers.list(`rollback:${r.id}:expire`)).toEqual([]);
    await runDueJobs(w);
    await runDueJobs(w);
    expect(w.runner.ran).toEqual(['deploy-revert']);
    expect(await statusOf(w, r.id)).toBe('succeeded');
  });

  it('a P0 needs two different approvers; the same one twice counts once', async () => {
    const w = rollbackWorld();
    const id = await openIncident(w, { severity: 'P0' });
    const r = await propose(w, id);
    expect(said(await w.decisions.decide(r.id, 'approve', 'U0APPROVER', onItsMessage(r.id)))).toBe(
      'Approval recorded (1/2); one more approver is needed.',
    );
    expect(said(await w.decisions.decide(r.id, 'approve', 'U0APPROVER', onItsMessage(r.id)))).toBe(
      `You already approved ${r.id}; it needs 2 distinct approvers.`,
    );
    expect((await w.records.decisions(id)).at(-1)).toMatchObject({ kind: 'denial', by: 'U0APPROVER' });
    expect((await rollbackTimeline(w, id)).filter((l) => l.startsWith('rollback_denied'))).toEqual([]);
    await runDueJobs(w);
    expect(w.runner.ran).toEqual([]);
    expect(said(await w.decisions.decide(r.id, 'approve', 'U0SECOND', onItsMessage(r.id)))).toBe(`Approved; ${r.id} is starting.`);
    expect(await rollbackTimeline(w, id)).toContain(
      `rollback_approved: Rollback ${r.id} approved by U0SECOND (with U0APPROVER); starting.`,
    );
    await runDueJobs(w);
    expect(w.runner.ran).toEqual(['deploy-revert']);
  });

  it.each([
    ['rejected by an approver', 'U0APPROVER', 'rejected'],
    ['withdrawn by whoever proposed it', 'U0PROPOSER', 'withdrawn'],
  ])('a rollback %s never runs', async (_name, actor, word) => {
    const w = rollbackWorld();
    const id = await openIncident(w);
    const r = await propose(w, id);
    expect(said(await w.decisions.decide(r.id, 'reject', actor, onItsMessage(r.id)))).toBe(`Rollback ${r.id} ${word} by ${actor}.`);
    expect(await statusOf(w, r.id)).toBe('rejected');
    expect(await w.timers.list(`rollback:${r.id}:`)).toEqual([]);
    w.clock.advance(20 * 60_000);
    await runDueJobs(w);
    expect(w.runner.ran).toEqual([]);
  });

  it('a click after it already ran hears its state; it is logged as an attempt, not put on the timeline', async () => {
    const w = rollbackWorld();
    const id = await openIncident(w);
    const r = await propose(w, id);
    await w.decisions.decide(r.id, 'approve', 'U0APPROVER', onItsMessage(r.id));
    await runDueJobs(w);
    const timeline = await rollbackTimeline(w, id);
    expect(said(await w.decisions.decide(r.id, 'approve', 'U0SECOND', onItsMessage(r.id)))).toBe(`${r.id} already ran and succeeded.`);
    expect((await w.records.decisions(id)).at(-1)).toMatchObject({
      kind: 'denial',
      by: 'U0SECOND',
      reason: `too late: ${r.id} already ran and succeeded.`,
    });
    expect(await rollbackTimeline(w, id)).toEqual(timeline);
    expect(w.runner.ran).toEqual(['deploy-revert']);
  });

  it("aborting an automatic rollback's countdown: nothing runs", async () => {
    const w = rollbackWorld({ runners: [REVERT_LAST] });
    const id = await openIncident(w);
    const outcome = await w.proposals.proposeAutomatic(id, 'error-spike');
    if (!outcome.ok) throw new Error('not proposed');
    const r = outcome.request;
    expect(r.status).toBe('countdown');
    expect(said(await w.decisions.decide(r.id, 'abort', 'U0APPROVER', onItsMessage(r.id)))).toBe(
      `Automatic rollback ${r.id} aborted by U0APPROVER.`,
    );
    expect(await w.timers.list(`rollback:${r.id}:`)).toEqual([]);
    w.clock.advance(60_000);
    await runDueJobs(w);
    expect(w.runner.ran).toEqual([]);
    expect(await statusOf(w, r.id)).toBe('aborted');
  });
});

describe('RollbackDecisions: refused approvals change nothing and are recorded (in-memory ports)', () => {
  type Case = {
    /** Before the proposal: what its readiness checks see. */
    before?: (w: World) => void;
    /** After the proposal, before the click. */
    arrange?: (w: World, incidentId: string) => Promise<unknown> | void;
    proposer?: string;
    actor?: string;
    origin?: (requestId: string) => ClickOrigin;
    confirmed?: boolean;
    world?: Parameters<typeof rollbackWorld>[0];
    reason: (ids: { request: string; incident: string }) => string;
  };
  it.each<[string, Case]>([
    ['someone who is not an approver', { actor: 'U0STRANGER', reason: () => 'You are not an approver for checkout rollbacks.' }],
    [
      'the person who proposed it, though an approver',
      { proposer: 'U0APPROVER', reason: () => 'You proposed this rollback; someone else must approve it.' },
    ],
    [
      'a listed approver whose account is a guest',
      {
        arrange: (w) => void w.people.accounts.set('U0APPROVER', { deleted: false, guest: true }),
        reason: () => 'Guest accounts cannot approve checkout rollbacks.',
      },
    ],
    [
      'an approval before anyone confirmed the severity (gate 1)',
      { confirmed: false, reason: () => 'Not yet: Gate 1 (Severity alignment) needs: Confirm the severity' },
    ],
    [
      'an approval of a rollback whose readiness failed (gate 2)',
      {
        before: (w) => void w.checks.failing.set('runbook present', '/srv/runbooks/checkout.md does not exist'),
        reason: () => 'Not yet: Gate 2',
      },
    ],
    [
      'an approval once the incident is resolved',
      {
        arrange: (w, id) => w.service.resolve(id, 'U0OPENER'),
        reason: ({ incident }) => `${incident} is resolved; rollback decisions are closed.`,
      },
    ],
    [
      'an approval after the approval window closed',
      {
        arrange: (w) => w.clock.advance(15 * 60_000),
        reason: ({ request }) => `${request} expired; approvals are valid for a limited time. Propose the rollback again.`,
      },
    ],
    [
      'an approval when no approver is configured',
      {
        world: { approvers: { users: [], groups: [] } },
        reason: () =>
          'Nobody may approve rollbacks of checkout: its approver list is empty. Add approvers under services[].rollback.approvers.',
      },
    ],
    [
      "a button moved onto another request's message",
      {
        origin: () => ({ channel: 'C-OTHER', ts: '9.000', metadataRequestId: null }),
        reason: ({ request }) => `That button is not on ${request}'s approval message; click the one on its own message.`,
      },
    ],
  ])('%s', async (_name, c) => {
    const w = rollbackWorld(c.world);
    const incident = await (c.confirmed === false
      ? w.service.open({ title: 'checkout errors', severity: 'P1', openedBy: 'U0OPENER', service: 'checkout' }).then((o) => o.incident.id)
      : openIncident(w));
    c.before?.(w);
    const r = await propose(w, incident, c.proposer);
    await c.arrange?.(w, incident);
    const actor = c.actor ?? 'U0APPROVER';
    const outcome = await w.decisions.decide(r.id, 'approve', actor, (c.origin ?? onItsMessage)(r.id));
    const reason = c.reason({ request: r.id, incident });
    expect(outcome.ok).toBe(false);
    expect(said(outcome).startsWith(reason)).toBe(true);
    expect(await statusOf(w, r.id)).toBe('pending');
    expect((await w.records.decisions(incident)).at(-1)).toMatchObject({ kind: 'denial', by: actor });
    expect((await rollbackTimeline(w, incident)).at(-1)).toMatch(new RegExp(`^rollback_denied: Refused approve of ${r.id} by ${actor}: `));
    await runDueJobs(w);
    expect(w.runner.ran).toEqual([]);
  });
});

describe('RollbackDecisions: stopping a rollback (in-memory ports)', () => {
  it('a stop before its runner started: nothing runs, and the people who can act are called', async () => {
    const w = rollbackWorld();
    const id = await openIncident(w);
    const r = await propose(w, id);
    await w.decisions.decide(r.id, 'approve', 'U0APPROVER', onItsMessage(r.id));
    const outcome = await w.decisions.stop(r.id, 'U0PROPOSER', onItsMessage(r.id));
    expect(said(outcome)).toBe(
      `Stopping ${r.id}: its runner is being killed and no fallback will run. The message above says when it has stopped.`,
    );
    await runDueJobs(w);
    expect(w.runner.ran).toEqual([]);
    expect(await statusOf(w, r.id)).toBe('stopped');
    expect(w.messenger.notices.at(-1)).toContain(`${r.id} stopped* by U0PROPOSER: stopped before any runner started.`);
    expect(w.messenger.notices.at(-1)).toContain('U0OWNER please check it and decide.');
  });

  it('a stop while the primary runs: it is killed and no fallback runs', async () => {
    const w = rollbackWorld();
    w.runner.will('deploy-revert', 'hold');
    const id = await openIncident(w);
    const r = await propose(w, id);
    await w.decisions.decide(r.id, 'approve', 'U0APPROVER', onItsMessage(r.id));
    const job = runDueJobs(w);
    await w.runner.whenHeld(job);
    expect(said(await w.decisions.stop(r.id, 'U0APPROVER', onItsMessage(r.id)))).toContain(`Stopping ${r.id}`);
    w.runner.finish(failed({ outcome: 'cancelled', exitCode: null }));
    await job;
    expect(w.runner.ran).toEqual(['deploy-revert']);
    expect(await statusOf(w, r.id)).toBe('stopped');
    expect(await rollbackTimeline(w, id)).toContain(
      `rollback_stopped: Rollback ${r.id} stopped by U0APPROVER: deploy-revert was killed mid-run. No fallback runs; the system may be partly rolled back.`,
    );
  });

  it('a stop by someone neither an approver nor its proposer is refused and recorded', async () => {
    const w = rollbackWorld();
    const id = await openIncident(w);
    const r = await propose(w, id);
    await w.decisions.decide(r.id, 'approve', 'U0APPROVER', onItsMessage(r.id));
    expect(said(await w.decisions.stop(r.id, 'U0STRANGER', onItsMessage(r.id)))).toBe(
      'Only approvers of checkout rollbacks, or whoever proposed it, can stop it. You are not an approver for checkout rollbacks.',
    );
    expect((await w.requests.get(r.id))?.stopRequested ?? null).toBeNull();
    expect((await w.records.decisions(id)).at(-1)).toMatchObject({ kind: 'denial', by: 'U0STRANGER' });
    await runDueJobs(w);
    expect(w.runner.ran).toEqual(['deploy-revert']);
  });
});
