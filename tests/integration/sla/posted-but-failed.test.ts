import { afterAll, describe, expect, it } from 'vitest';
import type { SlackStandIn } from '../../support/slack-stand-in';
import { startBot, waitFor, type RunningBot } from '../../support/start-bot';
import { openIncident, pause, slaFile } from './sla-harness';

const running: RunningBot[] = [];
afterAll(async () => {
  for (const b of running) await b.stop().catch(() => undefined);
});
const start = async (...args: Parameters<typeof startBot>) => {
  const b = await startBot(...args);
  running.push(b);
  return b;
};

/** Reminders as people see them: the messages in the channel and its threads, grouped by the clock that spoke. */
function remindersSeen(slack: SlackStandIn, incidentId: string): Map<string, number> {
  const byTimer = new Map<string, number>();
  for (const m of slack.messages) {
    const payload = m.metadata?.event_payload;
    if (m.metadata?.event_type !== 'incident_sla_notice' || payload?.incident_id !== incidentId || payload.kind !== 'update_due') continue;
    byTimer.set(String(payload.timer), (byTimer.get(String(payload.timer)) ?? 0) + 1);
  }
  return byTimer;
}

// Slack acted, then the answer was lost (a timeout, a 5xx from a proxy): the bot cannot tell
// from the reply whether the reminder is in the channel. The same case as a crash between the
// post and runOnce's "done" mark, which tests/integration/timers/kill-restart.test.ts covers.
describe('a reminder Slack posted but answered with an error', () => {
  it('is found in the thread on retry and not posted twice', { timeout: 15_000 }, async () => {
    const bot = await start({ file: slaFile({ P1: { update_every: '1500ms' } }) });
    const { id } = await openIncident(bot, 'open P1 posted but the reply failed');
    bot.slack.fail('chat.postMessage', 'internal_error', 1, { landed: true });

    await waitFor(() => bot.slack.callsTo('conversations.replies')[0], 'the retry looks in the thread', 6_000);
    await pause(500);
    const seen = remindersSeen(bot.slack, id);
    expect([...seen.values()][0]).toBe(1);
    const [lookup] = bot.slack.callsTo('conversations.replies');
    const incident = (await bot.bot.store.get(id))!;
    expect(lookup!.args).toMatchObject({ channel: 'C0INCIDENT', ts: incident.announcement!.ts });
    expect(String(lookup!.args.include_all_metadata)).toBe('true');
    // Every reminder since, once each.
    await waitFor(() => (remindersSeen(bot.slack, id).size >= 2 ? true : undefined), 'the next reminder', 4_000);
    expect([...remindersSeen(bot.slack, id).values()].every((n) => n === 1)).toBe(true);
  });

  it('without channels:history the retry posts again (a duplicate beats a missing reminder) and logs why', {
    timeout: 15_000,
  }, async () => {
    const bot = await start({ file: slaFile({ P1: { update_every: '1500ms' } }) });
    const { id } = await openIncident(bot, 'open P1 posted, then no history scope');
    bot.slack.fail('chat.postMessage', 'internal_error', 1, { landed: true });
    bot.slack.fail('conversations.replies', 'missing_scope', 5);

    const twice = await waitFor(() => [...remindersSeen(bot.slack, id).values()].find((n) => n === 2), 'the reminder posted again', 6_000);
    expect(twice).toBe(2);
    expect(bot.logs.join('')).toContain('could not check whether an SLA notice was already posted');
    const metrics = await (await fetch(`${bot.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/incident_bot_slack_api_errors_total\{method="conversations.replies",error="missing_scope"\} 1/);
  });
});
