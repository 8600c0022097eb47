import { afterAll, describe, expect, it } from 'vitest';
import { waitFor, type RunningBot } from '../../support/start-bot';
import { allIncidents, amWebhook, incident, pdEvent, postAlert, postPagerDuty, startAlertBot } from './alert-harness';

// Time, not arrival order, decides an alert's state (docs/alerts-order.md).
const bots: RunningBot[] = [];
async function start(): Promise<RunningBot> {
  const bot = await startAlertBot({ file: { services: [{ name: 'checkout' }], alerts: { slack_min_interval: '50ms' } } });
  bots.push(bot);
  return bot;
}
afterAll(async () => {
  await Promise.all(bots.map((b) => b.stop({ cleanup: true })));
});

const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
const announcements = (bot: RunningBot) =>
  bot.slack.calls.filter((c) => c.method === 'chat.postMessage' && !c.args.thread_ts && JSON.stringify(c.args).includes('INC-'));

describe('Alertmanager: a late firing after its resolution', () => {
  it('does not make the alert firing again, neither on the open incident nor after a person resolved it', async () => {
    const bot = await start();
    const group = '{}:{alertname="HighErrorRate", service="checkout"}';
    const started = at(10);
    const firing = amWebhook(group, [{ fingerprint: 'late-1', startsAt: started }]);
    const opened = await postAlert(bot, 'alertmanager', firing);
    const id = opened.json.opened[0];
    const resolved = await postAlert(
      bot,
      'alertmanager',
      amWebhook(group, [{ fingerprint: 'late-1', status: 'resolved', startsAt: started, endsAt: at(2) }]),
    );
    expect(resolved.status).toBe(202);
    expect((await incident(bot, id)).alerts).toMatchObject({ firing: 0, resolved: 1 });

    // The firing notification sent before the resolution arrives now (a retry, a slow replica).
    const late = await postAlert(bot, 'alertmanager', firing);
    expect(late.status).toBe(202);
    expect(late.json).toMatchObject({ stale: 1, opened: [], incidents: [id] });
    const shown = await incident(bot, id);
    expect(shown.alerts).toMatchObject({ firing: 0, resolved: 1, allResolvedAt: expect.any(String) });
    expect(shown.timeline.map((e: any) => e.kind)).not.toContain('alerts_firing_again');

    // A person resolves the incident; the same late firing again must not open a new one.
    await bot.command(`resolve ${id} --override "alerts resolved"`, { user: 'U0ALICE' });
    await waitFor(async () => (await incident(bot, id)).status === 'resolved', 'resolved by a person');
    const later = await postAlert(bot, 'alertmanager', firing);
    expect(later.json).toMatchObject({ stale: 1, opened: [] });
    expect(await allIncidents(bot)).toHaveLength(1);
  });

  it('a genuinely newer firing (started after the resolution) still fires again', async () => {
    const bot = await start();
    const group = '{}:{alertname="HighErrorRate", service="checkout", episode="2"}';
    const first = at(20);
    const id = (await postAlert(bot, 'alertmanager', amWebhook(group, [{ fingerprint: 'new-1', startsAt: first }]))).json.opened[0];
    await postAlert(bot, 'alertmanager', amWebhook(group, [{ fingerprint: 'new-1', status: 'resolved', startsAt: first, endsAt: at(10) }]));
    const again = await postAlert(bot, 'alertmanager', amWebhook(group, [{ fingerprint: 'new-1', startsAt: at(1) }]));
    expect(again.status).toBe(202);
    expect(again.json).toMatchObject({ stale: 0, incidents: [id] });
    const shown = await incident(bot, id);
    expect(shown.alerts).toMatchObject({ firing: 1, resolved: 0, allResolvedAt: null });
    expect(shown.timeline.map((e: any) => e.kind)).toContain('alerts_firing_again');
  });

  it('an older resolution (of an earlier episode) arriving after a newer firing leaves the alert firing', async () => {
    const bot = await start();
    const group = '{}:{alertname="HighErrorRate", service="checkout", episode="3"}';
    const id = (await postAlert(bot, 'alertmanager', amWebhook(group, [{ fingerprint: 'old-1', startsAt: at(5) }]))).json.opened[0];
    const old = await postAlert(
      bot,
      'alertmanager',
      amWebhook(group, [{ fingerprint: 'old-1', status: 'resolved', startsAt: at(30), endsAt: at(20) }]),
    );
    expect(old.json).toMatchObject({ stale: 1 });
    expect((await incident(bot, id)).alerts).toMatchObject({ firing: 1, resolved: 0 });
  });
});

describe('PagerDuty: incident.resolved delivered before its incident.triggered', () => {
  it('leaves the incident resolved: nothing is opened, nobody is paged; a later reopen still opens one', async () => {
    const bot = await start();
    const resolved = await postPagerDuty(
      bot,
      pdEvent({ type: 'incident.resolved', status: 'resolved', incidentId: 'QORDER1', priority: 'P1', occurredAt: at(1) }),
    );
    expect(resolved.status).toBe(202);
    expect(resolved.json).toMatchObject({ opened: [], unmatched: 1 });

    const triggered = await postPagerDuty(
      bot,
      pdEvent({ type: 'incident.triggered', incidentId: 'QORDER1', priority: 'P1', occurredAt: at(3) }),
    );
    expect(triggered.status).toBe(202);
    expect(triggered.json).toMatchObject({ opened: [], incidents: [], stale: 1 });
    // The acknowledgement that was also in flight changes nothing either.
    const acked = await postPagerDuty(
      bot,
      pdEvent({ type: 'incident.acknowledged', status: 'acknowledged', incidentId: 'QORDER1', priority: 'P1', occurredAt: at(2) }),
    );
    expect(acked.json).toMatchObject({ opened: [], stale: 1 });
    expect(await allIncidents(bot)).toHaveLength(0);
    expect(announcements(bot)).toHaveLength(0);

    // Reopened in PagerDuty after the resolution: newer, so it opens an incident as before.
    const reopened = await postPagerDuty(
      bot,
      pdEvent({ type: 'incident.reopened', incidentId: 'QORDER1', priority: 'P1', occurredAt: at(0) }),
    );
    expect(reopened.json.opened).toHaveLength(1);
    expect(await allIncidents(bot)).toHaveLength(1);
  });
});
