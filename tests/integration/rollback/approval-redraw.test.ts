import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/adapters/outbound/slack/ids';
import { blockKitProblems } from '../../support/slack-stand-in';
import { waitFor, type RunningBot } from '../../support/start-bot';
import { confirmSeverity, openIncident, propose, reply, scratch, startRollbackBot } from './rollback-harness';

const files = scratch();
let bot: RunningBot;
beforeAll(async () => {
  bot = await startRollbackBot(files.log);
});
afterAll(async () => bot?.stop());

/** The latest drawing of a request's approval blocks: the post, then each chat.update of it. */
function latestDrawing(requestId: string): any[] {
  const post = bot.slack.callsTo('chat.postMessage').find((c) => JSON.stringify(c.args.blocks ?? '').includes(requestId));
  if (!post) return [];
  const ts = bot.slack.messages.find((m) => m.text === post.args.text && m.channel === 'C0INCIDENT')?.ts;
  const updates = bot.slack
    .callsTo('chat.update')
    .filter((c) => c.args.ts === ts && JSON.stringify(c.args.blocks ?? '').includes(requestId));
  const blocks = (updates.at(-1) ?? post).args.blocks;
  expect(blockKitProblems(blocks)).toEqual([]);
  return blocks;
}
const shows = (requestId: string, text: string) => JSON.stringify(latestDrawing(requestId)).includes(text);
const buttons = (requestId: string) =>
  latestDrawing(requestId)
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements.map((e: any) => e.action_id));

describe('approval blocks follow the incident', () => {
  it('confirming the severity redraws gate 1 without any click on the request', async () => {
    const id = await openIncident(bot);
    const requestId = await propose(bot, id);
    expect(shows(requestId, ':x: Gate 1 (Severity alignment)')).toBe(true);
    await confirmSeverity(bot, id);
    await waitFor(() => shows(requestId, ':white_check_mark: Gate 1 (Severity alignment)'), 'gate 1 redrawn as passed', 10_000);
    expect(shows(requestId, '[P1, confirmed] Investigating')).toBe(true);
    expect(buttons(requestId)).toEqual([ACTIONS.approveRollback, ACTIONS.rejectRollback]);
  });

  it('a severity change redraws the severity', async () => {
    const id = await openIncident(bot);
    const requestId = await propose(bot, id);
    const res = await bot.command(`severity ${id} P0`, { user: 'U0COMMANDER' });
    await reply(bot, res.responseId);
    await waitFor(() => shows(requestId, `${id} [P0, confirmed]`), 'severity redrawn', 10_000);
  });

  it('resolving the incident redraws the state and takes the decision buttons away', async () => {
    const id = await openIncident(bot);
    await confirmSeverity(bot, id);
    const requestId = await propose(bot, id);
    expect(buttons(requestId)).toEqual([ACTIONS.approveRollback, ACTIONS.rejectRollback]);
    const res = await bot.command(`resolve ${id} fixed upstream --override "fixed upstream, graphs green"`, { user: 'U0COMMANDER' });
    expect((await reply(bot, res.responseId)).text).toContain('resolved');
    await waitFor(() => shows(requestId, 'can no longer be decided'), 'state redrawn', 10_000);
    expect(shows(requestId, '[P1, confirmed] Resolved')).toBe(true);
    expect(buttons(requestId)).toEqual([]);
  });
});
