import { afterAll, describe, expect, it } from 'vitest';
import { startBot, waitFor, type RunningBot } from '../../support/start-bot';
import { SlackStandIn } from '../../support/slack-stand-in';
import { ALERT_TOKEN, allIncidents, amWebhook, incident, lastDrawn, postAlert, startAlertBot } from './alert-harness';

const bots: RunningBot[] = [];
const stands: SlackStandIn[] = [];
afterAll(async () => {
  await Promise.all(bots.map((b) => b.stop()));
  await Promise.all(stands.map((s) => s.stop()));
});

const storms = (file: Record<string, unknown> = {}) => ({
  services: [{ name: 'checkout' }],
  alerts: { slack_min_interval: '100ms', correlate: { window: '2m', threshold: 5, by: [] }, ...file },
});

/** Top-level posts in #incident-response (announcements), as the stand-in received them. */
function announcements(bot: RunningBot) {
  return bot.slack.callsTo('chat.postMessage').filter((c) => !c.args.thread_ts && c.args.channel === '#incident-response');
}

/** The last blocks an update drew on the message with this ts. */
function drawnAt(bot: RunningBot, ts: string): string | null {
  const updated = bot.slack.callsTo('chat.update').filter((c) => c.args.ts === ts);
  const last = updated[updated.length - 1];
  return last ? JSON.stringify(last.args.blocks) : null;
}

/** One Alertmanager group per name, `alerts` alerts each; sent `concurrency` at a time, as Alertmanager's dispatcher does. */
async function fire(
  bots: RunningBot[],
  groups: { key: string; labels?: Record<string, string>; status?: 'firing' | 'resolved' }[],
  alertsPerGroup: number,
  concurrency = 16,
): Promise<number[]> {
  const queue = groups.map((g, i) => ({ g, i }));
  const statuses: number[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const { g, i } = next;
        const body = amWebhook(
          g.key,
          Array.from({ length: alertsPerGroup }, (_, j) => ({
            fingerprint: `${g.key}-fp${j}`,
            status: g.status ?? 'firing',
            labels: { alertname: `Alert${g.key}`, instance: `i${j}`, ...g.labels },
          })),
        );
        statuses.push((await postAlert(bots[i % bots.length]!, 'alertmanager', body)).status);
      }
    }),
  );
  return statuses;
}

const named = (n: number, prefix: string, labels?: Record<string, string>) =>
  Array.from({ length: n }, (_, i) => ({ key: `${prefix}${i}`, ...(labels ? { labels } : {}) }));

describe('alert storms', () => {
  it('200 alert groups within 10 s → one parent announcement, every alert counted on it', async () => {
    const bot = await startAlertBot({ file: storms() });
    bots.push(bot);
    const started = Date.now();
    const statuses = await fire([bot], named(200, 's'), 3);
    const elapsed = Date.now() - started;
    expect(statuses.every((s) => s === 202 || s === 200)).toBe(true);
    // How long the bot took is printed below, not asserted (speed belongs in bench/).

    const all = await allIncidents(bot);
    const parents = all.filter((i) => i.storm);
    expect(parents).toHaveLength(1);
    const parent = await incident(bot, parents[0].id);
    expect(parent.title).toBe('Alert storm: 200 alert groups');
    expect(parent.storm.groups).toBe(200);
    expect(parent.alerts).toMatchObject({ firing: 600, total: 600 });
    expect(parent.storm.children.reduce((n: number, c: any) => n + c.firing, 0)).toBe(600);
    expect(parent.severityReason).toContain('Alert storm: 200 new alert groups within 2m (storm threshold 5)');
    // The groups that opened incidents before the storm was recognised were folded in.
    const others = all.filter((i) => !i.storm);
    expect(others.length).toBeLessThanOrEqual(4);
    for (const other of others) expect(other).toMatchObject({ status: 'resolved', mergedInto: parent.id });

    await waitFor(() => lastDrawn(bot, parent.id)?.includes('200 alert groups'), 'the parent announcement showing 200 groups', 10_000);
    const posted = announcements(bot);
    console.log(
      `storm correlation: 200 groups (600 alerts) answered in ${elapsed} ms; ${posted.length} announcement(s) posted, ${bot.slack.callsTo('chat.update').length} update(s)`,
    );
    expect(posted.filter((c) => JSON.stringify(c.args.blocks).includes('Alert storm'))).toHaveLength(1);
    // At most the groups before recognition, and only if Slack's pacing reached them before they were folded.
    expect(posted.length).toBeLessThanOrEqual(5);
    const drawn = lastDrawn(bot, parent.id)!;
    expect(drawn).toContain('and 180 more');
    expect(drawn).toContain('600 alerts (600 firing');
    // Those announced before they were folded are edited to say where they went.
    for (const other of others) {
      const { announcement } = (await incident(bot, other.id)).slack;
      if (announcement)
        await waitFor(
          () => drawnAt(bot, announcement.ts)?.includes(`Joined alert storm ${parent.id}`),
          `${other.id} saying it joined the storm`,
        );
    }
  }, 40_000);

  it('below the threshold, each group opens its own incident as before', async () => {
    const bot = await startAlertBot({ file: storms() });
    bots.push(bot);
    await fire([bot], named(4, 'b'), 1, 4);
    const all = await allIncidents(bot);
    expect(all).toHaveLength(4);
    expect(all.every((i) => !i.storm && i.status === 'investigating')).toBe(true);
    await waitFor(() => announcements(bot).length === 4, 'four announcements');
  });

  it('`by` labels keep one storm per cluster', async () => {
    const bot = await startAlertBot({ file: storms({ correlate: { window: '2m', threshold: 3, by: ['cluster'] } }) });
    bots.push(bot);
    await fire(
      [bot],
      [...named(5, 'a', { cluster: 'eu-1' }), ...named(5, 'u', { cluster: 'us-1' }), ...named(2, 'x', { cluster: 'ap-1' })],
      1,
      6,
    );
    const all = await allIncidents(bot);
    const parents = all.filter((i) => i.storm).sort((p, q) => p.storm.by.cluster.localeCompare(q.storm.by.cluster));
    expect(parents.map((p) => [p.storm.by, p.storm.groups, p.alerts.firing])).toEqual([
      [{ cluster: 'eu-1' }, 5, 5],
      [{ cluster: 'us-1' }, 5, 5],
    ]);
    expect(parents.map((p) => p.title)).toEqual([
      'Alert storm: 5 alert groups (cluster=eu-1)',
      'Alert storm: 5 alert groups (cluster=us-1)',
    ]);
    // ap-1 stayed below its threshold: two incidents of their own, open.
    const ap = all.filter((i) => !i.storm && !i.mergedInto);
    expect(ap.map((i) => i.title).sort()).toHaveLength(2);
    expect(ap.every((i) => i.status === 'investigating')).toBe(true);
  });

  it('split a child out; bad input is refused and changes nothing; children resolving offer to resolve the parent', async () => {
    const bot = await startAlertBot({ file: storms({ correlate: { window: '2m', threshold: 2, by: [] } }) });
    bots.push(bot);
    for (const key of ['p0', 'p1', 'p2']) await fire([bot], [{ key }], 2, 1);
    const [parentRow] = (await allIncidents(bot)).filter((i) => i.storm);
    const id = parentRow.id;
    expect((await incident(bot, id)).storm.groups).toBe(3);

    const answer = async (text: string) => {
      const sent = await bot.command(text);
      return waitFor(() => bot.replies(sent.responseId)[0]?.text as string | undefined, `the answer to ${text}`);
    };
    const count = async () => (await allIncidents(bot)).length;
    const before = await count();
    const timelineBefore = (await incident(bot, id)).timeline.length;

    expect(await answer(`split NoSuchAlert ${id}`)).toContain('No alert group NoSuchAlert in storm');
    expect(await answer(`split <!channel> ${id}`)).toContain('&lt;!channel&gt;');
    const plain = (await allIncidents(bot)).find((i) => i.mergedInto)!;
    expect(await answer(`split Alertp0 ${plain.id}`)).toContain('is not an alert storm');
    expect(await answer('split')).toContain('Name the alert group');
    expect(await count()).toBe(before);
    expect((await incident(bot, id)).timeline.length).toBe(timelineBefore);

    // By alert name: its own incident, its own announcement, both timelines.
    const posts = announcements(bot).length;
    expect(await answer(`split Alertp2 ${id}`)).toMatch(/Split out of INC-\d{8}-\d{3} into \*INC-/);
    const parent = await incident(bot, id);
    const splitChild = parent.storm.children.find((c: any) => c.name === 'Alertp2');
    const newId = splitChild.split.incidentId;
    const own = await incident(bot, newId);
    expect(own).toMatchObject({ title: 'Alertp2', status: 'investigating', alerts: { firing: 2, total: 2 } });
    expect(own.timeline.map((e: any) => e.text).join('\n')).toContain(`Split out of alert storm ${id}`);
    expect(parent.timeline.some((e: any) => e.kind === 'storm_split')).toBe(true);
    expect(parent).toMatchObject({ title: 'Alert storm: 2 alert groups', storm: { groups: 2 }, alerts: { firing: 4, total: 4 } });
    await waitFor(() => announcements(bot).length === posts + 1 && lastDrawn(bot, newId), 'the split incident announced');

    // Already split: refused, nothing new.
    const after = await count();
    expect(await answer(`split Alertp2 ${id}`)).toContain(`was already split out of ${id} into ${newId}`);
    expect(await count()).toBe(after);

    // The split group's next alerts land on its own incident, not the parent.
    await fire([bot], [{ key: 'p2', status: 'resolved' }], 2, 1);
    expect((await incident(bot, newId)).alerts).toMatchObject({ firing: 0, resolved: 2 });
    expect((await incident(bot, id)).alerts).toMatchObject({ firing: 4 });

    // The remaining children resolve: the parent offers to resolve, like any incident.
    await fire(
      [bot],
      [
        { key: 'p0', status: 'resolved' },
        { key: 'p1', status: 'resolved' },
      ],
      2,
      2,
    );
    const calm = await incident(bot, id);
    expect(calm.alerts).toMatchObject({ firing: 0, resolved: 4 });
    expect(calm.storm.children.filter((c: any) => !c.split).every((c: any) => c.firing === 0 && c.resolved === 2)).toBe(true);
    await waitFor(() => lastDrawn(bot, id)?.includes('All alerts resolved'), 'the parent offering to resolve');

    // `/incident show` lists the groups with their keys.
    const shown = await bot.command(`show ${id}`);
    const text = JSON.stringify(bot.replies(shown.responseId)[0]?.blocks ?? []);
    expect(text).toContain('Alert groups and their keys');
    expect(text).toContain('`p0`');
  }, 30_000);

  it('two replicas sharing Redis see one storm and open one parent', async () => {
    const slack = await new SlackStandIn().start();
    stands.push(slack);
    const a = await startBot({ slack, file: storms(), env: { ALERT_WEBHOOK_TOKEN: ALERT_TOKEN } });
    const b = await startBot({ slack, prefix: a.prefix, file: storms(), env: { ALERT_WEBHOOK_TOKEN: ALERT_TOKEN } });
    bots.push(b, a);
    const statuses = await fire([a, b], named(40, 'r'), 2, 8);
    expect(statuses.every((s) => s === 202 || s === 200)).toBe(true);
    const all = await allIncidents(a);
    const parents = all.filter((i) => i.storm);
    expect(parents).toHaveLength(1);
    expect(parents[0]).toMatchObject({ storm: { groups: 40 }, alerts: { firing: 80, total: 80 } });
    expect(all.filter((i) => !i.storm).every((i) => i.mergedInto === parents[0].id)).toBe(true);
    await waitFor(
      () => announcements(a).filter((c) => JSON.stringify(c.args.blocks).includes('Alert storm')).length === 1,
      'one storm announcement',
    );
  }, 30_000);
});
