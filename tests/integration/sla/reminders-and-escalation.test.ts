import { afterAll, describe, expect, it } from 'vitest';
import { ACTIONS, VIEWS } from '../../../src/adapters/outbound/slack/ids';
import { reportValues } from '../../support/report-form';
import { startBot, waitFor, type RunningBot } from '../../support/start-bot';
import { notices, openIncident, pause, slaFile } from './sla-harness';

const running: RunningBot[] = [];
afterAll(async () => {
  for (const b of running) await b.stop().catch(() => undefined);
});
const start = async (...args: Parameters<typeof startBot>) => {
  const b = await startBot(...args);
  running.push(b);
  return b;
};

describe('SLA clocks in the running bot', () => {
  // Timers never fire early, so lower bounds are exact; an upper bound only says "before the next
  // one was due" (the cadence), never how fast: lateness under load is measured in bench/, not here.
  it('status-update reminders come at the cadence, in the announcement thread, and an update restarts the clock', {
    timeout: 30_000,
  }, async () => {
    const bot = await start({ file: slaFile({ P1: { update_every: '1500ms' } }) });
    const { id, openedAt } = await openIncident(bot, 'open P1 reminders at cadence');
    const first = await waitFor(() => notices(bot.slack, { incident: id, kind: 'update_due' })[0], 'first reminder', 8000);
    expect(first.at - openedAt).toBeGreaterThanOrEqual(1500);
    expect(first.at - openedAt).toBeLessThan(3000);
    const incident = (await bot.bot.store.get(id))!;
    expect(first.args.channel).toBe('C0INCIDENT');
    expect(first.args.thread_ts).toBe(incident.announcement!.ts);
    expect(first.args.text).toMatch(new RegExp(`${id}.*status update due \\(every 2s at P1\\); no update since it opened \\d+s ago`));
    expect(JSON.stringify(first.args.blocks)).toContain(ACTIONS.postUpdate);
    const second = await waitFor(() => notices(bot.slack, { incident: id, kind: 'update_due' })[1], 'second reminder', 8000);
    expect(second.at - openedAt).toBeGreaterThanOrEqual(3000);
    expect(second.at).toBeGreaterThan(first.at);

    // An update restarts the clock: the next reminder is 1.5 s after it, and counts from it.
    await pause(500);
    const before = notices(bot.slack, { incident: id, kind: 'update_due' }).length;
    await bot.command(`update ${id} identified cache node restarted`, { user: 'U0BOB' });
    const updatedAt = await waitFor(async () => (await bot.bot.store.get(id))!.lastUpdateAt, 'update stored');
    const next = await waitFor(() => notices(bot.slack, { incident: id, kind: 'update_due' })[before], 'reminder after update', 8000);
    expect(next.at - updatedAt).toBeGreaterThanOrEqual(1500);
    expect(next.at - updatedAt).toBeLessThan(3000);
    expect(next.args.text).toMatch(/last update \d+s ago by <@U0BOB>/);
    const keys = notices(bot.slack, { incident: id }).map((c) => c.args.metadata.event_payload.timer);
    expect(new Set(keys).size).toBe(keys.length);
    // Counted once the post is answered, a moment after the stand-in saw it: waited for, not raced.
    await waitFor(async () => {
      const metrics = await (await fetch(`${bot.baseUrl}/metrics`)).text();
      return (
        /incident_bot_reminders_sent_total\{kind="status_update"\} ([3-9]|\d\d)/.test(metrics) &&
        /incident_bot_timer_lateness_seconds_count\{kind="update_reminder"\} ([3-9]|\d\d)/.test(metrics)
      );
    }, 'three reminders counted');
  });

  it('first response breach, then escalation levels in order; resolve stops the rest', { timeout: 20_000 }, async () => {
    const bot = await start({
      file: slaFile({
        P0: {
          first_response: '600ms',
          escalate: [
            { level: 2, after: '1200ms' },
            { level: 3, after: '3s' },
          ],
        },
      }),
    });
    const { id } = await openIncident(bot, 'open P0 nobody answers');
    const l2 = await waitFor(() => notices(bot.slack, { incident: id, kind: 'escalation' })[0], 'level 2', 4000);
    expect(l2.args.text).toMatch(/Escalation level 2: .*unresolved after 1s\. <@U0LEAD>/);
    expect(l2.args.channel).toBe('C0INCIDENT');
    expect(l2.args.thread_ts).toBeUndefined();
    const breach = notices(bot.slack, { incident: id, kind: 'first_response_breach' });
    expect(breach).toHaveLength(1);
    expect(breach[0]!.at).toBeLessThan(l2.at);
    await bot.command(`resolve ${id} rolled back --override "error rate back to normal"`);
    await waitFor(async () => (await bot.bot.store.get(id))!.resolvedAt, 'resolved');
    await pause(2500); // past level 3's due time
    expect(notices(bot.slack, { incident: id, kind: 'escalation' })).toHaveLength(1);

    const detail = (await bot.api(`/api/incidents/${id}`)).json;
    const kinds = detail.timeline
      .filter((e: any) => ['sla_breach', 'escalation'].includes(e.kind))
      .map((e: any) => `${e.kind}:${e.details.clock ?? e.details.level}`);
    // The first-response breach and the level-1 page come due at the same moment: either may be written first.
    expect([...kinds.slice(0, 2)].sort()).toEqual(['escalation:1', 'sla_breach:first_response']);
    expect(kinds.slice(2)).toEqual(['escalation:2']);
    expect(detail.timeline.find((e: any) => e.kind === 'escalation' && e.details.level === 1).text).toMatch(/paging is not configured/);
    expect(detail.sla.breaches).toEqual([
      expect.objectContaining({ clock: 'first_response', severity: 'P0', overdueMs: expect.any(Number) }),
    ]);
    const metrics = await (await fetch(`${bot.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/incident_bot_sla_breaches_total\{kind="first_response",severity="P0"\} 1/);
    expect(metrics).toMatch(/incident_bot_escalations_total\{level="1"\} 1/);
    expect(metrics).toMatch(/incident_bot_escalations_total\{level="2"\} 1/);
    expect(metrics).not.toMatch(/incident_bot_escalations_total\{level="3"\}/);
  });

  it('a service override mentions its own contacts; user groups as <!subteam^…>', { timeout: 10_000 }, async () => {
    const bot = await start({ file: slaFile({ P1: { escalate: [{ level: 3, after: '500ms' }] } }) });
    await bot.command('open P1 checkout down', { user: 'U0ALICE' });
    const res = await waitFor(() => bot.slack.callsTo('response_url')[0], 'reply');
    const id = /INC-\d{8}-\d{3}/.exec(res.args.text)![0];
    await bot.bot.store.update(id, (i) => ({ ok: true, incident: { ...i, service: 'checkout' }, events: [] }));
    const l3 = await waitFor(() => notices(bot.slack, { incident: id, kind: 'escalation' })[0], 'level 3', 4000);
    expect(l3.args.text).toContain('<!subteam^S0EXECS>');
    expect(l3.args.text).not.toContain('U0CTO');
  });

  it('a severity change re-plans every clock: P3 → P0 brings the reminder much sooner', { timeout: 15_000 }, async () => {
    const bot = await start({ file: slaFile({ P0: { update_every: '1s' } }) });
    const { id } = await openIncident(bot, 'open P3 looks minor');
    const planned = await bot.bot.timers.list(`${id}:`);
    expect(planned.every((t) => t.key.includes(':P3:'))).toBe(true);
    await bot.command(`severity ${id} P0`);
    const raisedAt = Date.now();
    // At P3 the next reminder was an hour away; at P0 it is due within a second of the raise.
    const reminder = await waitFor(() => notices(bot.slack, { incident: id, kind: 'update_due' })[0], 'P0 reminder', 8000);
    expect(reminder.at - raisedAt).toBeLessThan(60_000);
    expect(reminder.args.text).toContain('every 1s at P0');
    const after = await bot.bot.timers.list(`${id}:`);
    expect(after.filter((t) => t.key.includes(':P3:'))).toEqual([]);
  });

  it('monitoring period over offers Close; the report reminder comes; Close closes and refusals are private', {
    timeout: 12_000,
  }, async () => {
    const bot = await start({ file: slaFile({ P2: { monitor_after: '1500ms' } }, { sla: { report_reminder_after: '700ms' } }) });
    const { id } = await openIncident(bot, 'open P2 slow search');
    await bot.command(`resolve ${id} reindexed --override "search latency normal again"`);
    const report = await waitFor(() => notices(bot.slack, { incident: id, kind: 'report_missing' })[0], 'report reminder', 3000);
    expect(report.args.text).toContain('incident report is still missing');
    const over = await waitFor(() => notices(bot.slack, { incident: id, kind: 'monitoring_end' })[0], 'monitoring over', 3000);
    expect(over.args.text).toContain('Monitoring period over — close the incident?');
    expect(JSON.stringify(over.args.blocks)).toContain(ACTIONS.close);
    // Gate 4: Close is refused, privately, until the report is written.
    const early = await bot.click(ACTIONS.close, id, 'U0BOB');
    expect((await waitFor(() => bot.replies(early.responseId)[0], 'gate 4 refusal')).text).toContain('/incident report');
    expect((await bot.bot.store.get(id))!.status).toBe('resolved');
    await bot.submitView(VIEWS.report, reportValues(), { privateMetadata: JSON.stringify({ incidentId: id }) });
    await waitFor(async () => (await bot.bot.store.timeline(id)).some((e) => e.kind === 'report_written'), 'report written');
    const click = await bot.click(ACTIONS.close, id, 'U0BOB');
    expect(click.status).toBe(200);
    await waitFor(async () => (await bot.bot.store.get(id))!.status === 'closed', 'closed');
    const again = await bot.click(ACTIONS.close, id, 'U0BOB');
    const reply = await waitFor(() => bot.replies(again.responseId)[0], 'refusal');
    expect(reply).toMatchObject({ response_type: 'ephemeral' });
    expect(reply.text).toMatch(/:warning: .*closed/);
    const bogus = await bot.click(ACTIONS.close, 'INC-19990101-001', 'U0BOB');
    expect((await waitFor(() => bot.replies(bogus.responseId)[0], 'refusal')).text).toMatch(/No incident/);
    expect(await bot.bot.timers.list(`${id}:`)).toEqual([]);
  });
});
