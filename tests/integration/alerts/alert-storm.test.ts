import { afterAll, describe, expect, it } from 'vitest';
import { waitFor, type RunningBot } from '../../support/start-bot';
import { allIncidents, amWebhook, incident, lastDrawn, postAlert, startAlertBot } from './alert-harness';

const bots: RunningBot[] = [];
afterAll(async () => {
  await Promise.all(bots.map((b) => b.stop()));
});

const GROUPS = 20;
const REQUESTS_PER_GROUP = 5;
const ALERTS_PER_REQUEST = 100;
const DISTINCT_PER_GROUP = 200;

/** Announcement posts and updates in the incident channel (thread replies are status updates, not paced here). */
function paced(bot: RunningBot) {
  return bot.slack.calls.filter((c) => (c.method === 'chat.postMessage' || c.method === 'chat.update') && !c.args.thread_ts);
}

function maxInWindow(times: number[], windowMs: number): number {
  let max = 0;
  for (let i = 0, j = 0; i < times.length; i += 1) {
    while (times[i]! - times[j]! >= windowMs) j += 1;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

describe('alert storm', () => {
  it('10,000 alerts over 20 groups → 20 incidents, every alert counted, Slack paced at ~1 call/s per channel, final state drawn', async () => {
    const bot = await startAlertBot();
    bots.push(bot);
    // Each group gets 5 deliveries of 100 alerts, sliding over 200 fingerprints, so counts keep changing.
    const deliveries = [];
    for (let r = 0; r < REQUESTS_PER_GROUP; r += 1) {
      for (let g = 0; g < GROUPS; g += 1) {
        const alerts = Array.from({ length: ALERTS_PER_REQUEST }, (_, j) => ({
          fingerprint: `g${g}-fp${(r * 40 + j) % DISTINCT_PER_GROUP}`,
          labels: { instance: `i${j}` },
        }));
        deliveries.push(amWebhook(`{}:{storm="${g}"}`, alerts));
      }
    }
    const started = Date.now();
    const answers: number[] = [];
    const queue = [...deliveries];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let body = queue.shift(); body; body = queue.shift()) answers.push((await postAlert(bot, 'alertmanager', body)).status);
      }),
    );
    const elapsed = Date.now() - started;
    const total = GROUPS * REQUESTS_PER_GROUP * ALERTS_PER_REQUEST;
    console.log(`storm: ${total} alerts in ${elapsed} ms through HTTP = ${Math.round((total / elapsed) * 1000)} alerts/s`);
    expect(answers.every((s) => s === 202 || s === 200)).toBe(true);

    const incidents = await allIncidents(bot);
    expect(incidents).toHaveLength(GROUPS);
    let receipts = 0;
    for (const i of incidents) {
      const shown = await incident(bot, i.id);
      expect(shown.alerts).toMatchObject({ firing: DISTINCT_PER_GROUP, total: DISTINCT_PER_GROUP });
      receipts += shown.alerts.receipts;
    }
    expect(receipts).toBe(total);

    // Slack catches up at its own pace; every incident's final state must be drawn.
    await waitFor(
      () => incidents.every((i) => lastDrawn(bot, i.id)?.includes(`*Alerts:* ${DISTINCT_PER_GROUP} firing`)),
      'every announcement showing its final count',
      45_000,
    );
    const calls = paced(bot);
    const times = calls.map((c) => c.at).sort((a, b) => a - b);
    const span = (times[times.length - 1]! - times[0]!) / 1000;
    console.log(
      `storm: ${calls.filter((c) => c.method === 'chat.postMessage').length} posts + ${calls.filter((c) => c.method === 'chat.update').length} updates over ${span.toFixed(1)} s = ${(calls.length / Math.max(span, 1)).toFixed(2)} calls/s; max ${maxInWindow(times, 1000)} in any 1 s`,
    );
    expect(new Set(calls.map((c) => (c.args.channel === '#incident-response' ? 'C0INCIDENT' : c.args.channel))).size).toBe(1);
    expect(calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(GROUPS);
    // Paced: never 2 calls within the same ~second (a little slack for timer and network jitter).
    expect(maxInWindow(times, 900)).toBeLessThanOrEqual(1);
    expect(calls.length).toBeLessThanOrEqual(span + 1);
    // Bounded: far fewer calls than the 100 deliveries that changed an incident.
    expect(calls.length).toBeLessThan(2 * GROUPS + 5);
  }, 60_000);

  it('a Slack 429 with Retry-After delays the channel, not the alert answers; the final state is still drawn', async () => {
    const bot = await startAlertBot({ file: { alerts: { slack_min_interval: '100ms' } } });
    bots.push(bot);
    const group = (n: number, extra: { annotations?: Record<string, string> } = {}) =>
      amWebhook(
        'ratelimited',
        Array.from({ length: n }, (_, j) => ({ fingerprint: `rl${j}`, annotations: { error_rate: '11', ...extra.annotations } })),
      );
    const first = await postAlert(bot, 'alertmanager', group(1));
    const id = first.json.incidents[0];
    await waitFor(() => lastDrawn(bot, id), 'announcement');
    bot.slack.fail('chat.update', 'ratelimited', 1, { status: 429, retryAfter: 2 });
    const timings: number[] = [];
    for (let n = 2; n <= 6; n += 1) {
      const t0 = Date.now();
      const res = await postAlert(bot, 'alertmanager', group(n));
      timings.push(Date.now() - t0);
      expect(res.status).toBe(202);
      await new Promise((r) => setTimeout(r, 100));
    }
    // Answers stay quick while Slack says "wait 2 s".
    expect(Math.max(...timings)).toBeLessThan(1000);
    const escalate = await postAlert(bot, 'alertmanager', group(7, { annotations: { error_rate: '40' } }));
    expect(escalate.status).toBe(202);
    await waitFor(
      () => lastDrawn(bot, id)?.includes('[P1]') && lastDrawn(bot, id)?.includes('*Alerts:* 7 firing'),
      'the final state after the rate limit',
      10_000,
    );
    const updates = bot.slack.callsTo('chat.update');
    const limited = updates[0]!;
    const after = updates.slice(1);
    expect(after.length).toBeGreaterThan(0);
    // Nothing was sent to the channel before Retry-After elapsed.
    expect(after[0]!.at - limited.at).toBeGreaterThanOrEqual(1900);
    // Changes made while waiting were coalesced, not queued one by one.
    expect(after.length).toBeLessThanOrEqual(3);
  }, 20_000);
});
