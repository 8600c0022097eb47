import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/adapters/outbound/slack/ids';
import { blockActionPayload, interactionBody, postToSlackEndpoint } from '../../support/slack-requests';
import { waitFor, type RunningBot } from '../../support/start-bot';
import { confirmSeverity, decide, openIncident, propose, reply, request, scratch, startRollbackBot } from './rollback-harness';

const files = scratch();
let bot: RunningBot;
beforeAll(async () => {
  bot = await startRollbackBot(files.log, { users: ['U0APPROVER', 'U0GUEST', 'U0MULTI', 'U0GONE'], groups: ['S0SRE'] });
  bot.slack.userGroups.set('S0SRE', ['U0GROUPIE']);
  bot.slack.users.set('U0GUEST', { is_restricted: true });
  bot.slack.users.set('U0MULTI', { is_ultra_restricted: true });
  bot.slack.users.set('U0GONE', { deleted: true });
});
afterAll(async () => bot?.stop());

async function ready() {
  const id = await openIncident(bot, 'P1');
  await confirmSeverity(bot, id);
  return { id, requestId: await propose(bot, id) };
}

const decisions = async (id: string) =>
  (await bot.bot.redis.lrange(`${bot.prefix}rollback-records:${id}:decisions`, 0, -1)).map((j) => JSON.parse(j));

describe('authority at the moment of the decision', () => {
  it.each([
    ['a guest (is_restricted)', 'U0GUEST', /Guest accounts cannot approve/],
    ['a single-channel guest (is_ultra_restricted)', 'U0MULTI', /Guest accounts cannot approve/],
    ['a deactivated user', 'U0GONE', /Deactivated accounts cannot approve/],
  ])('%s listed as an approver is refused, and the denial recorded', async (_name, user, reason) => {
    const { id, requestId } = await ready();
    expect(await decide(bot, 'approve', requestId, user)).toMatch(reason);
    expect((await request(bot, requestId))!.status).toBe('pending');
    expect((await decisions(id)).some((d) => d.kind === 'denial' && d.by === user)).toBe(true);
  });

  it('group membership is read at each decision: removed from the group, refused at once', async () => {
    const { requestId } = await ready();
    bot.slack.userGroups.set('S0SRE', ['U0GROUPIE']);
    const first = await ready();
    expect(await decide(bot, 'approve', first.requestId, 'U0GROUPIE')).toMatch(/Approved/);
    bot.slack.userGroups.set('S0SRE', []);
    expect(await decide(bot, 'approve', requestId, 'U0GROUPIE')).toMatch(/not an approver/);
    bot.slack.userGroups.set('S0SRE', ['U0GROUPIE']);
  });

  it('users.info failing means no (fail closed), with a reason', async () => {
    const { requestId } = await ready();
    bot.slack.fail('users.info', 'internal_error', 3);
    expect(await decide(bot, 'approve', requestId, 'U0APPROVER')).toMatch(/could not be checked/);
    expect((await request(bot, requestId))!.status).toBe('pending');
  });
});

describe('the approval a click acts on is the one its message carries', () => {
  it("Approve on request A's message with request B's id in the value is refused; B stays pending", async () => {
    const a = await ready();
    const b = await ready();
    await waitFor(() => bot.slack.messageWithButton(ACTIONS.approveRollback, a.requestId), "A's message");
    const onA = bot.slack.messageWithButton(ACTIONS.approveRollback, a.requestId)!;
    const res = await bot.click(ACTIONS.approveRollback, b.requestId, 'U0APPROVER', { channel: onA.channel, ts: onA.ts });
    expect((await reply(bot, res.responseId)).text).toMatch(/not on .*'s approval message/);
    expect((await request(bot, b.requestId))!.status).toBe('pending');
    expect((await request(bot, b.requestId))!.approvals).toEqual([]);
    expect((await decisions(b.id)).some((d) => d.kind === 'denial' && /approval message/.test(d.reason))).toBe(true);
  });

  it('metadata naming another request is refused even on a message the request knows', async () => {
    const a = await ready();
    const b = await ready();
    const onB = await waitFor(() => bot.slack.messageWithButton(ACTIONS.approveRollback, b.requestId), "B's message");
    const responseId = randomUUID();
    const payload = blockActionPayload({
      actionId: ACTIONS.approveRollback,
      value: b.requestId,
      user: 'U0APPROVER',
      responseUrl: bot.slack.responseUrl(responseId),
      channel: onB.channel,
      messageTs: onB.ts,
      metadata: { event_type: 'incident_bot_rollback_request', event_payload: { request_id: a.requestId } },
    });
    await postToSlackEndpoint(bot.baseUrl, interactionBody(payload));
    expect((await reply(bot, responseId)).text).toMatch(/approval message/);
    expect((await request(bot, b.requestId))!.status).toBe('pending');
  });
});
