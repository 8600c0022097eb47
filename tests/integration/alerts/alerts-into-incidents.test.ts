import { afterAll, describe, expect, it } from 'vitest';
import { createTestRedis } from '../../support/test-redis';
import { waitFor, type RunningBot } from '../../support/start-bot';
import { amWebhook, allIncidents, generic, incident, lastDrawn, pdEvent, postAlert, postPagerDuty, startAlertBot } from './alert-harness';

const bots: RunningBot[] = [];
// Fast pacing keeps these tests short; the storm test checks the default 1 s pacing.
async function start(file: Record<string, unknown> = {}): Promise<RunningBot> {
  const bot = await startAlertBot({
    file: { services: [{ name: 'checkout' }], ...file, alerts: { slack_min_interval: '50ms', ...(file.alerts as object) } },
  });
  bots.push(bot);
  return bot;
}
afterAll(async () => {
  await Promise.all(bots.map((b) => b.stop()));
});

describe('duplicates', () => {
  it('the same Alertmanager group sent 5 times → one incident, 2 alerts, 10 receipts', async () => {
    const bot = await start();
    const body = amWebhook('{}:{alertname="HighErrorRate"}', [
      { fingerprint: 'fp-a', annotations: { error_rate: '18%' } },
      { fingerprint: 'fp-b', labels: { instance: 'b' } },
    ]);
    const answers = [];
    for (let i = 0; i < 5; i += 1) answers.push(await postAlert(bot, 'alertmanager', body));
    expect(answers.map((a) => a.status)).toEqual([202, 200, 200, 200, 200]);
    const ids = new Set(answers.flatMap((a) => a.json.incidents));
    expect(ids.size).toBe(1);
    const [id] = [...ids] as [string];
    const shown = await incident(bot, id);
    expect(shown).toMatchObject({
      source: 'alertmanager',
      openedBy: 'alert:alertmanager',
      service: 'checkout',
      severity: 'P1',
      title: 'Checkout error rate high',
    });
    expect(shown.severityReason).toBe('P1 because error_rate 18% > 15% (rule urgent-error-rate)');
    expect(shown.alerts).toMatchObject({ firing: 2, resolved: 0, total: 2, receipts: 10, allResolvedAt: null, truncated: 0 });
    expect(await allIncidents(bot)).toHaveLength(1);
    // The announcement explains the severity.
    await waitFor(
      () => lastDrawn(bot, id)?.includes('error_rate 18% &gt; 15%') || lastDrawn(bot, id)?.includes('error_rate 18% > 15%'),
      'announcement with the explanation',
    );
  });

  it('the same PagerDuty event 5 times → one incident; the repeats answer 200', async () => {
    const bot = await start();
    const event = pdEvent({ eventId: 'EVT-DUP-1', incidentId: 'QDUP1', priority: 'P1' });
    const answers = [];
    for (let i = 0; i < 5; i += 1) answers.push(await postPagerDuty(bot, event));
    expect(answers.map((a) => a.status)).toEqual([202, 200, 200, 200, 200]);
    expect(new Set(answers.flatMap((a) => a.json.incidents)).size).toBe(1);
    const incidents = await allIncidents(bot);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ source: 'pagerduty', severity: 'P1', service: 'checkout' });
    expect((await incident(bot, incidents[0].id)).alerts.receipts).toBe(1);
  });

  it('100 concurrent identical generic alerts → exactly one incident, all 100 counted', async () => {
    const bot = await start();
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => postAlert(bot, 'generic', generic('concurrent', { signals: { p95_ms: 800 } }))),
    );
    expect(answers.every((a) => a.status === 202 || a.status === 200)).toBe(true);
    const ids = new Set(answers.flatMap((a) => a.json.incidents));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => a.json.opened.length === 1)).toHaveLength(1);
    const incidents = await allIncidents(bot);
    expect(incidents).toHaveLength(1);
    const shown = await incident(bot, incidents[0].id);
    expect(shown.alerts).toMatchObject({ firing: 1, total: 1, receipts: 100 });
    expect(shown.severity).toBe('P2');
    // One announcement, however many deliveries.
    await waitFor(() => bot.slack.callsTo('chat.postMessage').length === 1, 'the announcement');
    await new Promise((r) => setTimeout(r, 200));
    expect(bot.slack.callsTo('chat.postMessage')).toHaveLength(1);
  });
});

describe('resolved before firing', () => {
  it('a resolved alert for an unknown group opens nothing: 202 with no incident', async () => {
    const bot = await start();
    const res = await postAlert(bot, 'generic', generic('never-fired', { status: 'resolved' }));
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ incidents: [], opened: [], accepted: 1, unmatched: 1 });
    const am = await postAlert(bot, 'alertmanager', amWebhook('unknown-group', [{ fingerprint: 'x', status: 'resolved' }]));
    expect(am.status).toBe(202);
    expect(am.json.incidents).toEqual([]);
    expect(await allIncidents(bot)).toEqual([]);
    // The same alert firing later opens its incident as usual.
    expect((await postAlert(bot, 'generic', generic('never-fired'))).json.opened).toHaveLength(1);
  });
});

describe('severity from alerts', () => {
  it('P2 then P0 in the same group → P0 with a timeline entry and the reason; a P3 alert never lowers it', async () => {
    const bot = await start();
    const p2 = await postAlert(bot, 'generic', generic('escalate', { signals: { error_rate: 12 } }));
    const id = p2.json.incidents[0];
    expect((await incident(bot, id)).severity).toBe('P2');
    const p0 = await postAlert(bot, 'generic', generic('escalate', { signals: { failure_rate: 60 } }));
    expect(p0.status).toBe(202);
    expect(p0.json.incidents).toEqual([id]);
    let shown = await incident(bot, id);
    expect(shown.severity).toBe('P0');
    expect(shown.severityReason).toBe('P0 because failure_rate 60% > 50% (rule critical-failure-rate)');
    expect(shown.severityConfirmed).toBeNull();
    const raised = shown.timeline.filter((e: any) => e.kind === 'severity');
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ actor: 'alert:generic', text: 'Severity P2 → P0', details: { from: 'P2', to: 'P0' } });

    const p3 = await postAlert(bot, 'generic', generic('escalate', { signals: { error_rate: 1 } }));
    expect(p3.json.incidents).toEqual([id]);
    shown = await incident(bot, id);
    expect(shown.severity).toBe('P0');
    expect(shown.timeline.filter((e: any) => e.kind === 'severity')).toHaveLength(1);
    await waitFor(() => lastDrawn(bot, id)?.includes('[P0]'), 'the announcement redrawn at P0');
  });

  it('Alertmanager severity labels decide when no signal rule matches', async () => {
    const bot = await start();
    const res = await postAlert(bot, 'alertmanager', amWebhook('labels-only', [{ fingerprint: 'l1', labels: { severity: 'critical' } }]));
    const shown = await incident(bot, res.json.incidents[0]);
    expect(shown.severity).toBe('P0');
    expect(shown.severityReason).toContain('label severity=critical');
  });
});

describe('all alerts resolved', () => {
  it('records it, offers "resolve incident?" in Slack, the button resolves, and a later firing opens a new incident', async () => {
    // About the offer, not the gates: with gate 3 on, the click would be refused (no validated recovery).
    const bot = await start({ alerts: { flap_window: '1ms' }, gates: { enforce: false } });
    const group = 'offer-group';
    const firing = await postAlert(bot, 'alertmanager', amWebhook(group, [{ fingerprint: 'o1' }, { fingerprint: 'o2' }]));
    const id = firing.json.incidents[0];
    await waitFor(() => lastDrawn(bot, id), 'announcement');
    const half = await postAlert(bot, 'alertmanager', amWebhook(group, [{ fingerprint: 'o1', status: 'resolved' }, { fingerprint: 'o2' }]));
    expect(half.status).toBe(202);
    expect((await incident(bot, id)).alerts).toMatchObject({ firing: 1, resolved: 1, allResolvedAt: null });
    expect(lastDrawn(bot, id)).not.toContain('All alerts resolved');

    await postAlert(
      bot,
      'alertmanager',
      amWebhook(group, [
        { fingerprint: 'o1', status: 'resolved' },
        { fingerprint: 'o2', status: 'resolved' },
      ]),
    );
    const shown = await incident(bot, id);
    expect(shown.status).toBe('investigating');
    expect(shown.alerts).toMatchObject({ firing: 0, resolved: 2, allResolvedAt: expect.any(String), potentialFalsePositive: false });
    expect(shown.timeline.map((e: any) => e.kind)).toContain('alerts_resolved');
    const drawn = await waitFor(
      () => (lastDrawn(bot, id)?.includes('All alerts resolved') ? lastDrawn(bot, id) : null),
      'the offer in Slack',
    );
    expect(drawn).toContain('incident_resolve_alerts_resolved');

    const click = await bot.click('incident_resolve_alerts_resolved', id, 'U0ALICE');
    expect(click.status).toBe(200);
    await waitFor(async () => (await incident(bot, id)).status === 'resolved', 'resolved by the click');
    const resolved = await incident(bot, id);
    expect(resolved.resolutionSummary).toBe('All alerts resolved.');
    await waitFor(
      () => lastDrawn(bot, id)?.includes('Reopen') && !lastDrawn(bot, id)?.includes('incident_resolve_alerts_resolved'),
      'the offer gone after resolving',
    );

    // A second click changes nothing and says why.
    const again = await bot.click('incident_resolve_alerts_resolved', id, 'U0ALICE');
    await waitFor(() => bot.replies(again.responseId)[0], 'refusal');
    expect(bot.replies(again.responseId)[0]!.text).toMatch(/resolved/);

    // The group fires again: a new incident, not the resolved one.
    const refire = await postAlert(bot, 'alertmanager', amWebhook(group, [{ fingerprint: 'o1' }]));
    expect(refire.status).toBe(202);
    expect(refire.json.opened).toHaveLength(1);
    expect(refire.json.incidents[0]).not.toBe(id);
  });

  it('a group resolving within the flap window is a potential false positive; firing again withdraws the offer', async () => {
    const bot = await start({ alerts: { flap_window: '10m' } });
    const res = await postAlert(bot, 'generic', generic('flappy'));
    const id = res.json.incidents[0];
    await postAlert(bot, 'generic', generic('flappy', { status: 'resolved' }));
    let shown = await incident(bot, id);
    expect(shown.alerts).toMatchObject({ potentialFalsePositive: true, allResolvedAt: expect.any(String) });
    expect(shown.timeline.find((e: any) => e.kind === 'potential_false_positive').text).toMatch(/Potential false positive/);
    await waitFor(() => lastDrawn(bot, id)?.includes('potential false positive'), 'flap note in the announcement');

    await postAlert(bot, 'generic', generic('flappy'));
    shown = await incident(bot, id);
    expect(shown.alerts).toMatchObject({ firing: 1, allResolvedAt: null });
    expect(shown.timeline.map((e: any) => e.kind)).toContain('alerts_firing_again');
    await waitFor(() => lastDrawn(bot, id) && !lastDrawn(bot, id)!.includes('incident_resolve_alerts_resolved'), 'offer withdrawn');
  });

  it('truncatedAlerts is noted on the incident and in the announcement', async () => {
    const bot = await start();
    const res = await postAlert(bot, 'alertmanager', amWebhook('truncated', [{ fingerprint: 't1' }], { truncatedAlerts: 7 }));
    const id = res.json.incidents[0];
    const shown = await incident(bot, id);
    expect(shown.alerts.truncated).toBe(7);
    expect(shown.timeline.find((e: any) => e.kind === 'alerts_truncated').text).toContain('7');
    await waitFor(() => lastDrawn(bot, id)?.includes('left out 7 more'), 'truncation in the announcement');
  });
});

describe('PagerDuty resolution', () => {
  it('incident.resolved for an incident opened from PagerDuty is recorded, not acted on; after we resolve, the echo is recorded only', async () => {
    const bot = await start();
    const opened = await postPagerDuty(bot, pdEvent({ incidentId: 'QRES1', priority: 'P2' }));
    const id = opened.json.incidents[0];
    const ack = await postPagerDuty(
      bot,
      pdEvent({ incidentId: 'QRES1', type: 'incident.acknowledged', status: 'acknowledged', priority: 'P2' }),
    );
    expect(ack.status).toBe(200);
    const resolved = await postPagerDuty(
      bot,
      pdEvent({ incidentId: 'QRES1', type: 'incident.resolved', status: 'resolved', priority: 'P2' }),
    );
    expect(resolved.status).toBe(202);
    expect(resolved.json.incidents).toEqual([id]);
    let shown = await incident(bot, id);
    expect(shown.status).toBe('investigating');
    expect(shown.source).toBe('pagerduty');
    expect(shown.timeline.find((e: any) => e.kind === 'alerts_resolved').text).toContain('Resolved in PagerDuty');

    // We resolve; PagerDuty echoes its own resolution again: recorded, nothing opened.
    await bot.bot.service.resolve(id, 'U0ALICE', undefined, { override: 'recovery checked by hand' });
    const echo = await postPagerDuty(bot, pdEvent({ incidentId: 'QRES1', type: 'incident.resolved', status: 'resolved' }));
    expect(echo.status).toBe(202);
    expect(echo.json).toMatchObject({ incidents: [id], opened: [] });
    shown = await incident(bot, id);
    expect(shown.status).toBe('resolved');
    expect(shown.timeline.map((e: any) => e.kind)).toContain('upstream_resolved');
    expect(await allIncidents(bot)).toHaveLength(1);
  });
});

describe('group map in Redis', () => {
  it('a resolved incident moves its group to the next generation', async () => {
    const bot = await start();
    const first = await postAlert(bot, 'generic', generic('generation'));
    const id = first.json.incidents[0];
    const { redis, cleanup } = await createTestRedis('peek');
    try {
      expect(await redis.hgetall(`${bot.prefix}alertgroup:generic:generation`)).toMatchObject({ gen: '0', incident: id });
      await bot.bot.service.resolve(id, 'U0ALICE', undefined, { override: 'recovery checked by hand' });
      await waitFor(async () => (await redis.hget(`${bot.prefix}alertgroup:generic:generation`, 'gen')) === '1', 'generation 1');
      expect(await redis.hget(`${bot.prefix}alertgroup:generic:generation`, 'incident')).toBeNull();
    } finally {
      await cleanup();
    }
  });
});

describe('an alert arriving at the very moment a person resolves', () => {
  it('a firing alert is not swallowed by the incident just resolved: it opens the next one', async () => {
    const bot = await start();
    const group = '{}:{alertname="RaceRate"}';
    const first = await postAlert(bot, 'alertmanager', amWebhook(group, [{ fingerprint: 'fp-race-a' }]));
    const [x] = first.json.incidents as [string];
    // Someone resolves x between the intake's read of it and its write (a concurrent click):
    // the resolve lands first, then the intake's write goes ahead.
    const service = bot.bot.service;
    const realApply = service.apply.bind(service);
    let raced = false;
    service.apply = (async (id: string, change: any, options?: any) => {
      if (!raced && id === x) {
        raced = true;
        const resolved = await service.resolve(x, 'U0ALICE', 'fixed', { override: 'dashboards green' });
        expect(resolved.ok).toBe(true);
      }
      return realApply(id, change, options);
    }) as typeof service.apply;

    const second = await postAlert(bot, 'alertmanager', amWebhook(group, [{ fingerprint: 'fp-race-a' }, { fingerprint: 'fp-race-b' }]));
    service.apply = realApply;
    expect(raced).toBe(true);
    expect(second.status).toBe(202);
    const [y] = second.json.incidents as [string];
    expect(y).not.toBe(x);
    expect(second.json.opened).toEqual([y]);
    expect((await incident(bot, x)).status).toBe('resolved');
    const next = await incident(bot, y);
    expect(next.status).toBe('investigating');
    expect(next.alerts).toMatchObject({ firing: 2, total: 2 });
  });
});
