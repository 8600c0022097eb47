import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackStandIn } from '../../support/slack-stand-in';
import { startBot, waitFor, type RunningBot } from '../../support/start-bot';

// Two replicas on one prefix and one Slack. Slack tells replica A to retry after 15 s; replica B
// must not post to that channel before then, although it has its own announcement to post.
const RETRY_AFTER_S = 15;
let slack: SlackStandIn;
let a: RunningBot;
let b: RunningBot;

beforeAll(async () => {
  slack = await new SlackStandIn().start();
  const prefix = `ibtest:retry-after:${randomUUID().slice(0, 8)}:`;
  const file = { services: [{ name: 'checkout' }], alerts: { slack_min_interval: '100ms' } };
  a = await startBot({ slack, prefix, file });
  b = await startBot({ slack, prefix, file });
}, 60_000);

afterAll(async () => {
  await b?.stop({ cleanup: false });
  await a?.stop();
  await slack?.stop();
});

const posts = () => slack.callsTo('chat.postMessage');

describe("Slack's Retry-After shared by replicas", () => {
  it('after a 429 to one replica, the other does not post to that channel until Retry-After has passed', async () => {
    slack.fail('chat.postMessage', 'ratelimited', 1, { status: 429, retryAfter: RETRY_AFTER_S });
    await a.command('open P2 first through replica a');
    const limited = await waitFor(() => posts().find((c) => String(c.args.text).includes('first through replica a')), 'the 429 to replica a', 30_000);

    await b.command('open P2 second through replica b');
    // B tried while the hold was on, and was held back without reaching Slack.
    await waitFor(() => b.logs.some((line) => line.includes('Slack call held')), 'replica b held back', 30_000);

    const landed = await waitFor(
      () => {
        const texts = posts().slice(posts().indexOf(limited) + 1).map((c) => String(c.args.text));
        return texts.some((t) => t.includes('first through replica a')) && texts.some((t) => t.includes('second through replica b'));
      },
      'both announcements after the hold',
      90_000,
    );
    expect(landed).toBe(true);
    const after = posts().slice(posts().indexOf(limited) + 1);
    // Nothing reached Slack in that channel during the window, from either replica.
    for (const call of after) expect(call.at - limited.at).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000 - 500);
    expect(slack.messages.filter((m) => m.text.includes('second through replica b'))).toHaveLength(1);
    expect(slack.messages.filter((m) => m.text.includes('first through replica a'))).toHaveLength(1);
  }, 150_000);
});
