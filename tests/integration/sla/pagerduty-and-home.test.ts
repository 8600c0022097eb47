import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/adapters/outbound/slack/ids';
import { pagerDutyEnv, startPagerDutyStandIn, type PagerDutyStandIn } from '../../support/pagerduty-stand-in';
import { postToSlackEndpoint } from '../../support/slack-requests';
import { startBot, waitFor, type RunningBot } from '../../support/start-bot';
import { notices, openIncident, pause, slaFile } from './sla-harness';

const running: RunningBot[] = [];
let pd: PagerDutyStandIn;
// A fresh stand-in per test: every test's bot has its own Redis prefix, so incident ids (= dedup keys) repeat.
beforeEach(async () => {
  pd = await startPagerDutyStandIn();
});
afterEach(async () => {
  for (const b of running.splice(0)) await b.stop().catch(() => undefined);
  await pd.close();
});
afterAll(async () => {
  for (const b of running) await b.stop().catch(() => undefined);
});

const pdEnv = () => pagerDutyEnv(pd);
const start = async (file = slaFile({}, { pagerduty: { escalation_policy: 'PPOLICY1' } })) => {
  const b = await startBot({ file, env: pdEnv() });
  running.push(b);
  return b;
};
const events = (dedupKey: string) => pd.requests.filter((r) => r.path === '/v2/enqueue' && (r.body as any)?.dedup_key === dedupKey);

describe('PagerDuty through the SLA feature (TLS stand-in)', () => {
  it('triggers a P1 on open, acknowledges on Slack acknowledge, resolves on resolve; the on-call shows in the announcement', {
    timeout: 15_000,
  }, async () => {
    pd.setOnCalls([{ escalationPolicyId: 'PPOLICY1', level: 1, user: { id: 'PUSER1', name: 'Dana Oncall', email: 'dana@example.com' } }]);
    const bot = await start();
    const { id } = await openIncident(bot, 'open P1 payments failing');
    await waitFor(() => pd.alerts.get(id)?.status === 'triggered', 'trigger upstream');
    expect(pd.alerts.get(id)).toMatchObject({ routingKey: 'R0UTINGKEY', severity: 'error', opened: 1 });
    const announced = await waitFor(
      () => bot.slack.callsTo('chat.update').find((c) => JSON.stringify(c.args.blocks ?? '').includes('Dana Oncall')),
      'on-call in the announcement',
    );
    expect(JSON.stringify(announced.args.blocks)).toContain('Dana Oncall (L1)');
    expect((await bot.api(`/api/incidents/${id}`)).json.oncall).toMatchObject({
      escalationPolicy: 'PPOLICY1',
      people: [{ name: 'Dana Oncall', level: 1 }],
    });

    await bot.click(ACTIONS.acknowledge, id, 'U0BOB');
    await waitFor(() => pd.alerts.get(id)?.status === 'acknowledged', 'acknowledged upstream');
    await bot.command(`resolve ${id} fixed --override "provider confirmed the fix"`);
    await waitFor(() => pd.alerts.get(id)?.status === 'resolved', 'resolved upstream');
    expect(events(id).map((r) => (r.body as any).event_action)).toEqual(['trigger', 'acknowledge', 'resolve']);
    const metrics = await (await fetch(`${bot.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/incident_bot_pagerduty_events_total\{action="trigger",outcome="ok"\} 1/);
  });

  it('the on-call shown is looked up again while the incident is open (a shift change mid-incident), and no more once resolved', {
    timeout: 15_000,
  }, async () => {
    pd.setOnCalls([{ escalationPolicyId: 'PPOLICY1', level: 1, user: { id: 'PUSER1', name: 'Dana Oncall', email: 'dana@example.com' } }]);
    const bot = await start(slaFile({}, { pagerduty: { escalation_policy: 'PPOLICY1', oncall_refresh: '1s' } }));
    const { id } = await openIncident(bot, 'open P2 long running incident');
    await waitFor(
      () => bot.slack.callsTo('chat.update').find((c) => JSON.stringify(c.args.blocks ?? '').includes('Dana Oncall (L1)')),
      'first on-call shown',
    );
    const lookups = () => pd.requests.filter((r) => r.path === '/oncalls').length;

    // The shift changes: the next lookup shows the new person, without anyone asking.
    pd.setOnCalls([{ escalationPolicyId: 'PPOLICY1', level: 1, user: { id: 'PUSER2', name: 'Eli Nextshift', email: 'eli@example.com' } }]);
    await waitFor(
      () => bot.slack.callsTo('chat.update').find((c) => JSON.stringify(c.args.blocks ?? '').includes('Eli Nextshift (L1)')),
      'new on-call shown',
      4_000,
    );
    expect((await bot.api(`/api/incidents/${id}`)).json.oncall.people).toEqual([{ name: 'Eli Nextshift', level: 1 }]);
    // Unchanged on-call: looked up, but the announcement is not redrawn for it.
    const updates = bot.slack.callsTo('chat.update').length;
    const before = lookups();
    await waitFor(() => (lookups() >= before + 2 ? true : undefined), 'two more lookups', 4_000);
    expect(bot.slack.callsTo('chat.update').length).toBe(updates);

    await bot.command(`resolve ${id} fixed --override "checked by hand"`);
    await waitFor(async () => (await bot.bot.store.get(id))!.resolvedAt, 'resolved');
    await pause(300);
    const atResolve = lookups();
    await pause(2_500);
    expect(lookups()).toBe(atResolve);
  });

  it('a P3 is not paged until raised to P0; incidents from PagerDuty are never triggered or resolved upstream', {
    timeout: 15_000,
  }, async () => {
    const bot = await start();
    const { id } = await openIncident(bot, 'open P3 small thing');
    await pause(400);
    expect(events(id)).toEqual([]);
    await bot.command(`severity ${id} P0`);
    await waitFor(() => pd.alerts.get(id)?.severity === 'critical', 'trigger after raise');

    const { incident } = await bot.bot.service.open({
      title: 'from PagerDuty',
      severity: 'P0',
      openedBy: 'alert:pagerduty',
      source: 'pagerduty',
    });
    await bot.bot.service.acknowledge(incident.id, 'U0BOB');
    await bot.bot.service.resolve(incident.id, 'U0BOB', 'done', { override: 'resolved in PagerDuty' });
    await pause(500);
    expect(events(incident.id)).toEqual([]);
  });

  it('a 500 then success is one incident upstream, with no failure on the timeline', { timeout: 15_000 }, async () => {
    const bot = await start(slaFile()); // no on-call lookup to take the fault
    pd.failNext(1, 500);
    const { id } = await openIncident(bot, 'open P0 flaky pager');
    await waitFor(() => pd.alerts.get(id), 'trigger after a retry', 8000);
    expect(events(id).map((r) => r.status)).toEqual([500, 202]);
    expect(pd.alerts.get(id)!.opened).toBe(1);
    const timeline = (await bot.api(`/api/incidents/${id}`)).json.timeline;
    expect(timeline.filter((e: any) => e.kind === 'pagerduty').map((e: any) => e.text)).toEqual(['Paged on-call through PagerDuty (P0)']);
  });

  it('PagerDuty down: the incident opens and is announced at once; the failure is on the timeline once; the page goes out when it is back', {
    timeout: 25_000,
  }, async () => {
    const bot = await start();
    pd.down('reset');
    const began = Date.now();
    const { id } = await openIncident(bot, 'open P0 pager outage');
    expect(Date.now() - began).toBeLessThan(1500);
    await waitFor(async () => (await bot.bot.store.get(id))!.announcement, 'announcement posted');
    await waitFor(
      async () => (await bot.api(`/api/incidents/${id}`)).json.timeline.some((e: any) => /PagerDuty trigger failed/.test(e.text)),
      'failure recorded',
      8000,
    );
    await pause(3000); // the timer retries meanwhile
    pd.down(false);
    await waitFor(() => pd.alerts.get(id), 'page once PagerDuty is back', 12_000);
    const timeline = (await bot.api(`/api/incidents/${id}`)).json.timeline;
    expect(timeline.filter((e: any) => /PagerDuty trigger failed/.test(e.text))).toHaveLength(1);
    expect(timeline.filter((e: any) => e.text === 'Paged on-call through PagerDuty (P0)')).toHaveLength(1);
    expect(pd.alerts.get(id)!.opened).toBe(1);
  });
});

describe('App Home', () => {
  it('publishes open incidents most severe first with status, commander, age, the next deadline and breaches', {
    timeout: 10_000,
  }, async () => {
    const bot = await startBot({ file: slaFile({ P0: { first_response: '300ms' } }) });
    running.push(bot);
    const minor = await openIncident(bot, 'open P3 minor thing');
    const major = await openIncident(bot, 'open P0 total outage');
    const handover = await bot.command(`commander ${minor.id} <@U0CAROL|carol>`);
    await waitFor(() => bot.replies(handover.responseId)[0], 'commander stored'); // the command is acked before it is applied
    await waitFor(() => notices(bot.slack, { incident: major.id, kind: 'first_response_breach' })[0], 'P0 breach');
    const event = {
      token: 't',
      team_id: 'T0TEAM',
      api_app_id: 'A0APP',
      type: 'event_callback',
      event_id: 'Ev2',
      event_time: 1,
      event: { type: 'app_home_opened', user: 'U0ALICE', channel: 'D0', tab: 'home' },
    };
    expect((await postToSlackEndpoint(bot.baseUrl, JSON.stringify(event), { contentType: 'application/json' })).status).toBe(200);
    const publish = await waitFor(() => bot.slack.callsTo('views.publish')[0], 'views.publish');
    expect(publish.args.user_id).toBe('U0ALICE');
    const lines = (publish.args.view.blocks as any[]).filter((b) => b.type === 'section').map((b) => b.text.text as string);
    expect(lines[0]).toMatch(
      new RegExp(`${major.id}.*total outage — Investigating · commander _none_ · open \\d+s · :warning: First response breached \\d+s ago`),
    );
    expect(lines[1]).toMatch(
      new RegExp(`${minor.id}.*minor thing — Investigating · commander <@U0CAROL> · open \\d+s · Next update in 59m`),
    );
  });
});
