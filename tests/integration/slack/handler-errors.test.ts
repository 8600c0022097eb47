import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/adapters/outbound/slack/ids';
import { startBot, waitFor, type RunningBot } from '../../support/start-bot';

/**
 * The one error path of the Slack listeners, over real HTTP: when a handler throws (here the
 * bot's Redis connection is gone), the person gets one ephemeral line and the log one line
 * with a stable code.
 */
let bot: RunningBot;
let id: string;
beforeAll(async () => {
  bot = await startBot();
  const res = await bot.command('open P2 search is slow', { user: 'U0ALICE' });
  id = /INC-\d{8}-\d{3}/.exec((await waitFor(() => bot.replies(res.responseId)[0], 'opened')).text)![0];
  // Redis stops answering this bot (its own connection is closed; nothing reconnects it).
  bot.bot.redis.disconnect();
});
afterAll(async () => {
  await bot?.stop();
});

const failures = (code: string) =>
  bot.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'Slack listener failed' && l.code === code);

describe('a Slack handler that throws', () => {
  it('a button: one ephemeral line saying the store is not answering, one log line with the code', async () => {
    const res = await bot.click(ACTIONS.acknowledge, id, 'U0BOB');
    expect(res.status).toBe(200);
    const answer = await waitFor(() => bot.replies(res.responseId)[0], 'ephemeral answer', 10_000);
    expect(answer).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(answer.text).toBe(
      ":rotating_light: The incident store (Redis) is unreachable: nothing was recorded. Declare in #incident-response by hand; the bot takes commands again as soon as Redis is back (an operator sees it in the bot's log and /readyz).",
    );
    await waitFor(() => failures('store.unavailable').length === 1 || null, 'the log line');
    expect(failures('store.unavailable')).toEqual([expect.objectContaining({ actionId: ACTIONS.acknowledge, level: 40 })]);
    expect(bot.replies(res.responseId)).toHaveLength(1);
  });

  it('a command: the same one line, and one more log line', async () => {
    const res = await bot.command(`note ${id} checked the search cluster`, { user: 'U0BOB' });
    const answer = await waitFor(() => bot.replies(res.responseId)[0], 'ephemeral answer', 10_000);
    expect(answer.text).toBe(
      ":rotating_light: The incident store (Redis) is unreachable: nothing was recorded. Declare in #incident-response by hand; the bot takes commands again as soon as Redis is back (an operator sees it in the bot's log and /readyz).",
    );
    await waitFor(() => failures('store.unavailable').length === 2 || null, 'the second log line');
    expect(failures('store.unavailable')[1]).toMatchObject({ command: '/incident' });
    expect(bot.replies(res.responseId)).toHaveLength(1);
  });
});
