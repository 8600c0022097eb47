import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/adapters/outbound/slack/ids';
import { pagerDutyEnv, startPagerDutyStandIn, type PagerDutyStandIn } from '../../support/pagerduty-stand-in';
import { startBot, waitFor, type RunningBot } from '../../support/start-bot';
import { notices } from '../sla/sla-harness';

// Played at 60× speed: one minute of drill time is one second here.
const QUICK = `
title: Checkout error spike
description: 5xx after a deploy
service: checkout
speed: 60
steps:
  - after: 0s
    fire: { alert: CheckoutErrors, summary: "5xx at 18%", signals: { error_rate: 18.2 } }
  - after: 2m
    fire: { alert: CheckoutErrors, summary: "5xx at 25%", signals: { error_rate: 25 } }
  - after: 3m
    resolve: { alert: CheckoutErrors }
rollback:
  runners:
    - { name: revert-deploy, outcome: failure, takes: 1m }
    - { name: restore-previous, outcome: success, takes: 1m }
  verification: pass
  approvers: { users: [U0APPROVER, U0SECOND] }
`;
const BROKEN = `
title: Broken
service: Checkout Service
steps:
  - after: soon
    fire: { alert: A }
rollback: { runners: [] }
`;

// Played at 600×: P1's 15 min first response is 1.5 s here, level-2 escalation (1 h) 6 s.
const IGNORED = `
title: Search latency, nobody responding
service: search
speed: 600
steps:
  - after: 0s
    fire: { alert: SearchSlow, signals: { error_rate: 20 } }
  - after: 5h
    resolve: { alert: SearchSlow }
rollback:
  runners: [{ name: scale-out, outcome: success }]
`;

let pd: PagerDutyStandIn;
let bot: RunningBot;
let dir: string;
const running: RunningBot[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ib-drills-'));
  writeFileSync(join(dir, 'quick-p1.yml'), QUICK);
  writeFileSync(join(dir, 'broken.yml'), BROKEN);
  writeFileSync(join(dir, 'ignored.yml'), IGNORED);
  pd = await startPagerDutyStandIn();
  bot = await startBot({
    file: {
      drills: { enabled: true, scenarios: dir },
      channels: { create_incident_channel: true },
      services: [{ name: 'checkout', owners: ['U0ALICE'] }],
    },
    env: pagerDutyEnv(pd),
  });
  running.push(bot);
});
afterAll(async () => {
  for (const b of running) await b.stop().catch(() => undefined);
  await pd?.close();
});

async function answer(b: RunningBot, text: string, user = 'U0ONCALL'): Promise<string> {
  const res = await b.command(text, { user });
  return (await waitFor(() => b.replies(res.responseId)[0], `answer to /incident ${text}`, 10_000)).text as string;
}
const incidentJson = async (id: string) => (await bot.api(`/api/incidents/${id}`)).json;

describe('/incident drill: bad input, each a clear answer and nothing started', () => {
  it('lists the scenarios', async () => {
    expect(await answer(bot, 'drill')).toMatch(/Drill scenarios: `broken`, `ignored`, `quick-p1`/);
  });
  it('an unknown scenario names the known ones', async () => {
    expect(await answer(bot, 'drill fire-drill')).toMatch(
      /No drill scenario "fire-drill"\. Known scenarios: `broken`, `ignored`, `quick-p1`/,
    );
  });
  it('a malformed scenario file names every bad key', async () => {
    const text = await answer(bot, 'drill broken');
    for (const key of ['service:', 'steps[0].after:', 'rollback.runners:']) expect(text).toContain(key);
    expect(await bot.bot.redis.get(`${bot.prefix}drills:{active}`)).toBeNull();
  });
  it('is refused where drills are not enabled, saying how to enable them', async () => {
    const off = await startBot({ file: { drills: { scenarios: dir } } });
    running.push(off);
    expect(await answer(off, 'drill quick-p1')).toMatch(/Drills are off in this workspace\. To rehearse here, set `drills\.enabled: true`/);
    expect(off.slack.callsTo('chat.postMessage')).toHaveLength(0);
  });
});

describe('a drill end to end at 60× speed', () => {
  it('plays its alerts, is marked DRILL everywhere, pages nobody, stays out of metrics and ends with a scorecard', {
    timeout: 60_000,
  }, async () => {
    // A real P1 pages on-call: the control for "a drill pages nobody".
    expect(await answer(bot, 'open P1 real checkout outage')).toMatch(/Opened \*INC-/);
    await waitFor(() => pd.requests.some((r) => r.path === '/v2/enqueue'), 'the real P1 paged');
    const pagesBefore = pd.requests.filter((r) => r.path === '/v2/enqueue').length;

    expect(await answer(bot, 'drill quick-p1')).toMatch(
      /DRILL `quick-p1` started at 60× speed: Checkout error spike\. .*Nobody is paged\./,
    );
    // A second drill while one runs is refused, naming it.
    expect(await answer(bot, 'drill quick-p1')).toMatch(/A drill is already running: `quick-p1`/);

    const announcement = await waitFor(
      () => bot.slack.callsTo('chat.postMessage').find((c) => String(c.args.text ?? '').includes('DRILL: Checkout error spike')),
      'drill announcement',
      15_000,
    );
    const id = /INC-\d{8}-\d{3}/.exec(JSON.stringify(announcement.args))![0];
    const opened = await incidentJson(id);
    expect(opened).toMatchObject({
      title: 'DRILL: Checkout error spike',
      severity: 'P1',
      service: 'drill-quick-p1',
      drill: { scenario: 'quick-p1', speed: 60, page: false },
    });
    const channel = await waitFor(() => bot.slack.callsTo('conversations.create')[1], 'drill incident channel');
    expect(channel.args.name).toMatch(/^inc-\d{8}-\d{3}-drill-checkout-error-spike$/);
    // Later steps play on their own: the second firing is counted on the same incident.
    await waitFor(
      async () =>
        ((await incidentJson(id)).timeline as any[]).some((e) => /5xx at 25%|Alert firing/.test(e.text) && e.at > opened.createdAt),
      'second step played',
      15_000,
    );

    // The people rehearse: acknowledge, confirm severity, propose and approve the rollback.
    await bot.click(ACTIONS.acknowledge, id, 'U0ONCALL');
    expect(await answer(bot, `severity ${id} confirm`, 'U0ONCALL')).toMatch(/confirmed/);
    const proposed = await answer(bot, `rollback ${id}`, 'U0SECOND');
    const requestId = /INC-\d{8}-\d{3}-R\d+/.exec(proposed)![0];
    // The proposer may not approve their own rollback, in a drill as for real.
    const self = await bot.click(ACTIONS.approveRollback, requestId, 'U0SECOND');
    expect((await waitFor(() => bot.replies(self.responseId)[0], 'self-approval answer')).text).toMatch(/own|proposed/i);
    const approve = await bot.click(ACTIONS.approveRollback, requestId, 'U0APPROVER');
    expect((await waitFor(() => bot.replies(approve.responseId)[0], 'approval answer')).text).toContain('Approved');
    const rollback = await waitFor(
      async () => {
        const r = await (bot.bot.features.find((f) => f.name === 'rollback') as any).requests.get(requestId);
        return r && ['succeeded', 'failed', 'unknown'].includes(r.status) ? r : null;
      },
      'drill rollback finished',
      20_000,
    );
    // The primary fails as written and the fallback succeeds: simulated, nothing real ran.
    expect(rollback.attempts.map((a: any) => [a.runner, a.outcome])).toEqual([
      ['revert-deploy', 'failed'],
      ['restore-previous', 'succeeded'],
    ]);

    expect(await answer(bot, `resolve ${id} fallback restored the previous release`, 'U0ONCALL')).toMatch(/resolved/);
    const card = await waitFor(
      () => bot.slack.callsTo('chat.postMessage').find((c) => String(c.args.text ?? '').startsWith(`DRILL scorecard for ${id}`)),
      'scorecard posted',
      15_000,
    );
    const shown = JSON.stringify(card.args.blocks);
    for (const line of [
      'Time to acknowledge',
      'Time to confirmed severity',
      'Time to rollback approval',
      'Time to resolve',
      'Played at 60× speed',
    ])
      expect(shown).toContain(line);
    const resolved = await incidentJson(id);
    const scorecard = resolved.timeline.find((e: any) => e.kind === 'drill_scorecard');
    expect(scorecard.text).toMatch(/^Drill scorecard \(quick-p1\): acknowledge \S+ \(met\)/);

    // Nobody was paged for the drill; the drill left no mark in the metrics.
    expect(pd.requests.filter((r) => r.path === '/v2/enqueue')).toHaveLength(pagesBefore);
    expect(pd.requests.some((r) => JSON.stringify(r.body ?? '').includes(id))).toBe(false);
    const metrics = await (await fetch(`${bot.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/incident_bot_incidents_opened_total\{severity="P1",source="slack"\} 1/);
    expect(metrics).not.toMatch(/incident_bot_incidents_opened_total\{[^}]*source="generic"/);
    expect(metrics).not.toMatch(/incident_bot_rollbacks_total\{/);
    // The slot is free again: the next drill may start.
    expect(await bot.bot.redis.get(`${bot.prefix}drills:{active}`)).toBeNull();
  });
});

describe('an SLA breach that escalates, at 600× speed', () => {
  it("breaches first response and escalates at the drill's pace; `drill stop` ends it and frees the slot", {
    timeout: 60_000,
  }, async () => {
    const b = await startBot({
      file: { drills: { enabled: true, scenarios: dir }, escalation: { level2: ['U0LEAD'], level3: [] }, services: [{ name: 'search' }] },
    });
    running.push(b);
    const startedAt = Date.now();
    expect(await answer(b, 'drill ignored')).toMatch(/DRILL `ignored` started at 600× speed/);
    const announcement = await waitFor(
      () => b.slack.callsTo('chat.postMessage').find((c) => String(c.args.text ?? '').includes('DRILL: Search latency')),
      'drill announcement',
      15_000,
    );
    const id = /INC-\d{8}-\d{3}/.exec(JSON.stringify(announcement.args))![0];
    const breach = await waitFor(
      () => notices(b.slack, { incident: id, kind: 'first_response_breach' })[0],
      'first-response breach at drill speed',
      20_000,
    );
    // 15 minutes of drill time, not of wall time.
    expect(breach.at - startedAt).toBeLessThan(60_000);
    const escalation = await waitFor(
      () => notices(b.slack, { incident: id, kind: 'escalation' }).find((c) => JSON.stringify(c.args).includes('U0LEAD')),
      'level-2 escalation at drill speed',
      30_000,
    );
    expect(JSON.stringify(escalation.args)).toContain('<@U0LEAD>');
    const incident = (await b.api(`/api/incidents/${id}`)).json;
    expect(incident.timeline.some((e: any) => e.kind === 'sla_breach')).toBe(true);
    expect(await fetch(`${b.baseUrl}/metrics`).then((r) => r.text())).not.toMatch(/incident_bot_sla_breaches_total\{/);

    expect(await answer(b, 'drill stop')).toMatch(/Drill `ignored` stopped: no further alerts will play\. INC-\d{8}-\d{3} stays open/);
    expect(await b.bot.redis.get(`${b.prefix}drills:{active}`)).toBeNull();
    expect(await b.bot.timers.list(`drill:`)).toEqual([]);
    expect(await answer(b, 'drill stop')).toMatch(/No drill is running/);
  });
});
