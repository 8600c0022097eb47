import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackStandIn } from '../../support/slack-stand-in';
import { startBot, waitFor, type RunningBot } from '../../support/start-bot';

// Two replicas on one prefix and one Slack. Slack tells replica A to retry after 30 s. Replica B,
// started after that, has two announcements to post in that channel (A's, by its start-up sweep,
// and its own): neither reaches Slack before the 30 s are over. B starts after the 429 so that
// the 429 is certainly A's, and B's own process has never been told to wait.
const RETRY_AFTER_S = 30;
const prefix = `ibtest:retry-after:${randomUUID().slice(0, 8)}:`;
const file = { services: [{ name: 'checkout' }], alerts: { slack_min_interval: '100ms' } };
let slack: SlackStandIn;
let a: RunningBot;
let b: RunningBot | undefined;

beforeAll(async () => {
  slack = await new SlackStandIn().start();
  a = await startBot({ slack, prefix, file });
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
    const limited = await waitFor(
      () => posts().find((c) => String(c.args.text).includes('first through replica a')),
      'the 429 to replica a',
      30_000,
    );

    b = await startBot({ slack, prefix, file });
    await b.command('open P2 second through replica b');
    // B tried while the hold was on, and was held back without reaching Slack.
    await waitFor(() => b!.logs.some((line) => line.includes('Slack call held')), 'replica b held back', 30_000);

    await waitFor(
      () =>
        slack.messages.some((m) => m.text.includes('first through replica a')) &&
        slack.messages.some((m) => m.text.includes('second through replica b')),
      'both announcements after the hold',
      90_000,
    );
    // Nothing reached Slack in that channel during the window, from either replica.
    const after = posts().slice(posts().indexOf(limited) + 1);
    expect(after.length).toBeGreaterThan(0);
    for (const call of after) expect(call.at - limited.at).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000 - 500);
    expect(slack.messages.filter((m) => m.text.includes('second through replica b'))).toHaveLength(1);
    expect(slack.messages.filter((m) => m.text.includes('first through replica a'))).toHaveLength(1);
  }, 180_000);
});
