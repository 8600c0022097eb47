import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/adapters/outbound/slack/ids';
import { waitFor, type RunningBot } from '../../support/start-bot';
import {
  confirmSeverity,
  decide,
  feature,
  incidentJson,
  openIncident,
  propose,
  reply,
  request,
  scratch,
  startRollbackBot,
} from './rollback-harness';

const files = scratch();
let bot: RunningBot;
beforeAll(async () => {
  bot = await startRollbackBot(files.log, { groups: ['S0SRE'] });
  bot.slack.userGroups.set('S0SRE', ['U0GROUPIE']);
});
afterAll(async () => bot?.stop());

async function ready(severity: 'P0' | 'P1' = 'P1') {
  const id = await openIncident(bot, severity);
  await confirmSeverity(bot, id);
  return { id, requestId: await propose(bot, id) };
}

const denials = async (id: string) => (
  await feature(bot).requests.forIncident(id),
  (await bot.bot.redis.lrange(`${bot.prefix}rollback-records:${id}:decisions`, 0, -1))
    .map((j) => JSON.parse(j))
    .filter((d) => d.kind === 'denial')
);

describe('approval guardrails', () => {
  it('posts approval blocks in the incident-response channel: what runs, readiness, gates, approvers, expiry, buttons', async () => {
    const { requestId } = await ready();
    const post = bot.slack.callsTo('chat.postMessage').find((c) => JSON.stringify(c.args.blocks ?? '').includes(requestId))!;
    expect(post.args.channel).toBe('#incident-response');
    const text = JSON.stringify(post.args.blocks);
    for (const part of [
      'rollback-record.sh',
      'v41',
      'Level 1: component',
      'Readiness',
      'Gate 1',
      'Gate 2',
      'U0APPROVER',
      'subteam^S0SRE',
      'Expires',
      ACTIONS.approveRollback,
      ACTIONS.rejectRollback,
    ])
      expect(text).toContain(part);
    // the button carries the request id only
    expect(post.args.blocks.at(-1).elements.map((e: any) => e.value)).toEqual([requestId, requestId]);
  });

  it('refuses a non-approver with a reason and records the denial', async () => {
    const { id, requestId } = await ready();
    expect(await decide(bot, 'approve', requestId, 'U0MALLORY')).toContain('not an approver');
    expect((await request(bot, requestId))!.status).toBe('pending');
    expect((await denials(id)).map((d: any) => d.by)).toEqual(['U0MALLORY']);
    expect((await incidentJson(bot, id)).timeline.map((e: any) => e.kind)).toContain('rollback_denied');
  });

  it('refuses self-approval', async () => {
    const { id, requestId } = await ready();
    expect(await decide(bot, 'approve', requestId, 'U0REQ')).toContain('someone else must approve');
    expect((await denials(id))[0]).toMatchObject({ by: 'U0REQ', kind: 'denial' });
  });

  it('accepts a user group member, checked by user id', async () => {
    const { requestId } = await ready();
    expect(await decide(bot, 'approve', requestId, 'U0GROUPIE')).toContain('Approved');
    await waitFor(async () => (await request(bot, requestId))!.status === 'succeeded', 'run finished');
  });

  it('refuses gate 1: severity not confirmed; the blocks say so', async () => {
    const id = await openIncident(bot);
    const requestId = await propose(bot, id);
    const post = bot.slack.callsTo('chat.postMessage').find((c) => JSON.stringify(c.args.blocks ?? '').includes(requestId))!;
    expect(JSON.stringify(post.args.blocks)).toContain(':x: Gate 1 (Severity alignment)');
    expect(await decide(bot, 'approve', requestId, 'U0APPROVER')).toMatch(/Gate 1 .*Confirm the severity/);
    expect((await request(bot, requestId))!.status).toBe('pending');
    await confirmSeverity(bot, id);
    expect(await decide(bot, 'approve', requestId, 'U0APPROVER')).toContain('Approved');
  });

  it('refuses gate 2: readiness failed', async () => {
    const b = scratch();
    const other = await startRollbackBot(b.log, {
      readiness: [{ kind: 'file_exists', name: 'release artifact', path: `${b.dir}/missing.tar` }],
    });
    try {
      const id = await openIncident(other);
      await confirmSeverity(other, id);
      const requestId = await propose(other, id);
      expect(await decide(other, 'approve', requestId, 'U0APPROVER')).toMatch(/Gate 2 .*readiness/);
      expect(b.lines()).toEqual([]);
    } finally {
      await other.stop();
    }
  });

  it('refuses decisions once the incident is resolved', async () => {
    const { id, requestId } = await ready();
    await reply(bot, (await bot.command(`resolve ${id} fixed by hand --override "fixed without the rollback"`)).responseId);
    expect(await decide(bot, 'approve', requestId, 'U0APPROVER')).toMatch(/resolved; rollback decisions are closed/);
    expect(await denials(id)).toHaveLength(1);
  });

  it('approve vs reject race: exactly one decision wins', async () => {
    const { requestId } = await ready();
    const [a, r] = await Promise.all([decide(bot, 'approve', requestId, 'U0APPROVER'), decide(bot, 'reject', requestId, 'U0SECOND')]);
    const final = await waitFor(async () => {
      const s = (await request(bot, requestId))!.status;
      return ['rejected', 'succeeded'].includes(s) && s;
    }, 'decided');
    if (final === 'rejected') expect(a).toMatch(/rejected by <@U0SECOND>/);
    else expect(r).toMatch(/already approved|already ran/);
  });

  it('50 concurrent signed Approve clicks run the rollback once, and all 50 are in the decision log', async () => {
    const { id, requestId } = await ready();
    const before = files.lines().length;
    const clicks = await Promise.all(Array.from({ length: 50 }, () => bot.click(ACTIONS.approveRollback, requestId, 'U0APPROVER')));
    expect(clicks.every((c) => c.status === 200)).toBe(true);
    await waitFor(async () => (await request(bot, requestId))!.status === 'succeeded', 'rollback done', 15_000);
    const answers = await Promise.all(clicks.map((c) => reply(bot, c.responseId)));
    expect(answers.filter((a) => a.text.startsWith('Approved'))).toHaveLength(1);
    expect(answers.filter((a) => /already approved|already ran/.test(a.text))).toHaveLength(49);
    await new Promise((r) => setTimeout(r, 500));
    expect(files.lines().length - before).toBe(1);
    expect((await request(bot, requestId))!.execution!.token).toBe(1);
    const log = (await bot.bot.redis.lrange(`${bot.prefix}rollback-records:${id}:decisions`, 0, -1))
      .map((j) => JSON.parse(j))
      .filter((d) => d.by === 'U0APPROVER');
    expect(log).toHaveLength(50);
    expect(log.filter((d) => d.kind === 'approval')).toHaveLength(1);
    expect(log.filter((d) => d.kind === 'denial' && d.reason.startsWith('too late'))).toHaveLength(49);
  });

  it('dry run shows the plan and readiness, stores and runs nothing', async () => {
    const id = await openIncident(bot);
    const before = files.lines().length;
    const res = await bot.command(`rollback ${id} checkout v40 --dry-run`, { user: 'U0REQ' });
    const r = await reply(bot, res.responseId);
    expect(r.response_type).toBe('ephemeral');
    expect(JSON.stringify(r.blocks)).toContain('Dry run');
    expect(JSON.stringify(r.blocks)).toContain('v40');
    expect(JSON.stringify(r.blocks)).not.toContain(ACTIONS.approveRollback);
    expect(await feature(bot).requests.forIncident(id)).toEqual([]);
    expect(files.lines().length).toBe(before);
  });

  it('bad input gets a clear answer', async () => {
    const id = await openIncident(bot);
    expect((await reply(bot, (await bot.command(`rollback ${id} checkout v41 --now`)).responseId)).text).toContain('Unknown option');
    expect((await reply(bot, (await bot.command(`rollback ${id} payments v41`)).responseId)).text).toContain(
      'not a service with a rollback plan',
    );
    expect((await reply(bot, (await bot.command(`rollback ${id} checkout`)).responseId)).text).toContain('needs a release');
    expect((await reply(bot, (await bot.command(`rollback ${id} search v1`)).responseId)).text).toContain(
      'not a service with a rollback plan',
    );
    expect((await reply(bot, (await bot.command(`rollback ${id} checkout $(touch)`)).responseId)).text).toContain('not a release name');
    const unknown = await bot.click(ACTIONS.approveRollback, 'INC-19990101-001-R1', 'U0APPROVER');
    expect((await reply(bot, unknown.responseId)).text).toContain('No rollback request');
  });
});

describe('two-person rule, empty approver list, expiry', () => {
  it('P0 needs two distinct approvers, neither the requester', async () => {
    const b = scratch();
    const other = await startRollbackBot(b.log, { twoForP0: true });
    try {
      const id = await openIncident(other, 'P0');
      await confirmSeverity(other, id);
      const requestId = await propose(other, id);
      expect(await decide(other, 'approve', requestId, 'U0APPROVER')).toContain('one more approver');
      expect(await decide(other, 'approve', requestId, 'U0APPROVER')).toContain('already approved');
      expect(await decide(other, 'approve', requestId, 'U0REQ')).toContain('someone else must approve');
      expect(b.lines()).toEqual([]);
      expect(await decide(other, 'approve', requestId, 'U0SECOND')).toContain('Approved');
      await waitFor(() => b.lines().length === 1, 'ran once');
    } finally {
      await other.stop();
    }
  });

  it('an empty approver list fails closed: nobody may approve', async () => {
    const b = scratch();
    const other = await startRollbackBot(b.log, { users: [], groups: [] });
    try {
      const id = await openIncident(other);
      await confirmSeverity(other, id);
      const requestId = await propose(other, id);
      const post = other.slack.callsTo('chat.postMessage').find((c) => JSON.stringify(c.args.blocks ?? '').includes(requestId))!;
      expect(JSON.stringify(post.args.blocks)).toContain('No approvers configured');
      expect(await decide(other, 'approve', requestId, 'U0APPROVER')).toContain('approver list is empty');
      expect((await request(other, requestId))!.status).toBe('pending');
    } finally {
      await other.stop();
    }
  });

  it('approvals expire: a decision after expiry is refused and recorded; the blocks say expired', async () => {
    const b = scratch();
    const other = await startRollbackBot(b.log, { ttl: '1s' });
    try {
      const id = await openIncident(other);
      await confirmSeverity(other, id);
      const requestId = await propose(other, id);
      await new Promise((r) => setTimeout(r, 1100));
      expect(await decide(other, 'approve', requestId, 'U0APPROVER')).toMatch(/expired/);
      await waitFor(async () => (await request(other, requestId))!.status === 'expired', 'expiry timer');
      await waitFor(
        () => other.slack.callsTo('chat.update').some((c) => JSON.stringify(c.args.blocks).includes('Expired')),
        'blocks redrawn',
      );
      expect(b.lines()).toEqual([]);
    } finally {
      await other.stop();
    }
  });
});
