import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UPDATE_QUEUED_NOTICE } from '../../../src/adapters/outbound/slack/slack-incident-publisher';
import { startBot, waitFor, type RunningBot } from '../../support/start-bot';

let bot: RunningBot;
beforeAll(async () => {
  bot = await startBot({
    file: { services: [{ name: 'checkout' }], channels: { announcement_retry: '300ms' }, alerts: { slack_min_interval: '100ms' } },
  });
}, 60_000);
afterAll(async () => {
  await bot?.stop();
});

const answer = (responseId: string) => waitFor(() => bot.replies(responseId).find((r) => r.text), 'the answer to the person', 30_000);
const postsOf = (text: string) => bot.slack.callsTo('chat.postMessage').filter((c) => String(c.args.text).includes(text));
const landed = (text: string) => bot.slack.messages.filter((m) => m.text.includes(text));

describe('status updates during a Slack outage', () => {
  it('are queued, the person is told, and they land once each, in order, when Slack answers', async () => {
    await bot.command('open P2 checkout latency climbing');
    const incident = await waitFor(
      async () =>
        (await bot.api('/api/incidents')).json?.incidents?.find(
          (i: any) => i.title === 'checkout latency climbing' && i.slack?.announcement,
        ),
      'announced',
      30_000,
    );

    bot.slack.down(['chat.postMessage']);
    const first = await bot.command(`update ${incident.id} identified first-queued bad config push`);
    expect((await answer(first.responseId)).text).toContain(UPDATE_QUEUED_NOTICE);
    const second = await bot.command(`update ${incident.id} monitoring second-queued config reverted`);
    expect((await answer(second.responseId)).text).toContain(UPDATE_QUEUED_NOTICE);
    // The sweep tries the head again while Slack is still down, and never the one behind it.
    await waitFor(() => postsOf('first-queued').length >= 3, 'retries during the outage', 30_000);
    expect(postsOf('second-queued')).toHaveLength(0);
    expect(landed('first-queued')).toHaveLength(0);

    bot.slack.up();
    await waitFor(() => landed('second-queued').length > 0, 'the queued updates delivered', 30_000);
    // Give a few more sweeps the chance to post anything twice.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(landed('first-queued')).toHaveLength(1);
    expect(landed('second-queued')).toHaveLength(1);
    const order = bot.slack.messages
      .filter((m) => /first-queued|second-queued/.test(m.text))
      .map((m) => (m.text.includes('first-queued') ? 'first' : 'second'));
    expect(order).toEqual(['first', 'second']);
    expect(landed('first-queued')[0]!.thread_ts).toBe(incident.slack.announcement.ts);
  }, 120_000);

  it('a post that landed although Slack answered 500 is found by its tag and not posted again', async () => {
    await bot.command('open P2 search results stale');
    const incident = await waitFor(
      async () =>
        (await bot.api('/api/incidents')).json?.incidents?.find((i: any) => i.title === 'search results stale' && i.slack?.announcement),
      'announced',
      30_000,
    );
    bot.slack.fail('chat.postMessage', 'internal_error', 1, { status: 500, landed: true });
    const sent = await bot.command(`update ${incident.id} identified landed-anyway index lag`);
    expect((await answer(sent.responseId)).text).toContain(UPDATE_QUEUED_NOTICE);
    await waitFor(
      () => bot.slack.callsTo('conversations.replies').some((c) => c.args.ts === incident.slack.announcement.ts),
      'the sweep looking for it',
      30_000,
    );
    await new Promise((r) => setTimeout(r, 1_500));
    expect(postsOf('landed-anyway')).toHaveLength(1);
    expect(landed('landed-anyway')).toHaveLength(1);
  }, 120_000);
});
