import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../support/processes';
import { PrometheusHarness, prometheusPresent, SKIP_REASON, TestExporter, TEST_QUERIES } from '../../support/prometheus-harness';
import type { StoredFile } from '../../support/slack-stand-in';
import { waitFor, type RunningBot } from '../../support/start-bot';
import { generic, incident, postAlert, startAlertBot } from '../alerts/alert-harness';

let exporter: TestExporter;
let prometheus: PrometheusHarness;
const bots: RunningBot[] = [];

const ERRORS_CHECKOUT =
  '100 * sum(rate(http_requests_total{service="checkout",code="500"}[5s])) / sum(rate(http_requests_total{service="checkout"}[5s]))';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

async function start(prometheusUrl = prometheus.url, extra: Record<string, unknown> = {}): Promise<RunningBot> {
  const bot = await startAlertBot({
    file: {
      ...extra,
      services: [{ name: 'checkout' }],
      alerts: { slack_min_interval: '50ms' },
      signals: { prometheus: { timeout: '2s' }, reevaluate_every: '1m', queries: TEST_QUERIES, chart: { lookback: '30m' } },
    },
    env: { PROMETHEUS_URL: prometheusUrl },
  });
  bots.push(bot);
  return bot;
}

/** The file Slack received for this incident and moment, once its bytes arrived and it was shared. */
const fileFor = (bot: RunningBot, id: string, moment: 'open' | 'resolve') => () =>
  bot.slack.files.find((f) => f.filename === `${id}-signals-at-${moment}.png` && f.bytes && f.channel);

function decoded(file: StoredFile): PNG {
  expect(file.bytes!.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  const png = PNG.sync.read(file.bytes!);
  if (process.env.CHART_OUT) writeFileSync(`${process.env.CHART_OUT}/${file.filename}`, file.bytes!);
  return png;
}

/** Distinct colours in the picture: a blank or failed render has one or two. */
function colours(png: PNG): number {
  const seen = new Set<number>();
  for (let i = 0; i < png.data.length; i += 4) seen.add(png.data.readUInt32BE(i));
  return seen.size;
}

describe.skipIf(!prometheusPresent)(`the signal chart, from a real Prometheus${prometheusPresent ? '' : ` (${SKIP_REASON})`}`, () => {
  beforeAll(async () => {
    exporter = await new TestExporter().start();
    exporter.traffic('checkout', { requestsPerSecond: 100, errorPercent: 40, latencySeconds: 0.03 });
    prometheus = await new PrometheusHarness({ targets: [exporter.url] }).start();
    await prometheus.waitFor(ERRORS_CHECKOUT, (v) => v > 30, 'checkout errors visible');
  }, 60_000);

  afterEach(async () => {
    while (bots.length) await bots.pop()!.stop({ cleanup: true });
  });

  afterAll(async () => {
    await prometheus?.cleanup();
    await exporter?.stop();
  });

  it('at open: a PNG in the announcement thread after the announcement, naming the signals; at resolve: a new one, noted on the timeline', async () => {
    const bot = await start();
    const res = await postAlert(bot, 'generic', generic('chart-open', { service: 'checkout', severity: 'P2' }));
    expect(res.status).toBe(202);
    const id = res.json.incidents[0];
    const atOpen = await waitFor(fileFor(bot, id, 'open'), 'the chart at open', 20_000);

    const announcement = bot.slack.messages.find((m) => m.metadata?.event_payload?.incident_id === id)!;
    expect(atOpen).toMatchObject({ channel: 'C0INCIDENT', threadTs: announcement.ts, title: `${id} · checkout · signals at open` });
    expect(atOpen.initialComment).toMatch(/error_rate, p95_ms of checkout, 30m before open to \d\d:\d\d UTC \(at open\)/);
    // The announcement went out first; the chart never held it back.
    const order = bot.slack.calls.map((c) => c.method);
    const announced = bot.slack.calls.findIndex(
      (c) => c.method === 'chat.postMessage' && JSON.stringify(c.args.metadata ?? '').includes(id),
    );
    expect(announced).toBeGreaterThanOrEqual(0);
    expect(announced).toBeLessThan(order.indexOf('files.getUploadURLExternal'));
    // The comment shows in the thread as Slack shows a shared file.
    expect(bot.slack.messages.some((m) => m.thread_ts === announcement.ts && m.text === atOpen.initialComment)).toBe(true);

    const png = decoded(atOpen);
    // Two panels (percent, milliseconds): 150 px of title and axes + 240 px each.
    expect([png.width, png.height]).toEqual([1000, 630]);
    expect(colours(png)).toBeGreaterThan(20);
    await waitFor(
      async () => (await incident(bot, id)).timeline.find((e: any) => e.kind === 'signal_chart'),
      'the chart noted on the timeline',
    );
    const noted = (await incident(bot, id)).timeline.find((e: any) => e.kind === 'signal_chart');
    expect(noted.text).toBe('Signal chart posted (at open): error_rate, p95_ms');

    const resolved = await bot.command(`resolve ${id} errors gone --override "checked by hand"`, { user: 'U0ALICE' });
    expect(resolved.status).toBe(200);
    const atResolve = await waitFor(fileFor(bot, id, 'resolve'), 'the chart at resolve', 20_000);
    expect(atResolve.id).not.toBe(atOpen.id);
    expect(atResolve).toMatchObject({ channel: 'C0INCIDENT', threadTs: announcement.ts });
    expect(atResolve.initialComment).toContain('(at resolve)');
    expect(decoded(atResolve).width).toBe(1000);
    const timeline = await waitFor(async () => {
      const events = (await incident(bot, id)).timeline.filter((e: any) => e.kind === 'signal_chart');
      return events.length === 2 ? events : null;
    }, 'the chart at resolve on the timeline');
    expect(timeline.map((e: any) => e.text)).toEqual([
      'Signal chart posted (at open): error_rate, p95_ms',
      'Signal chart posted (at resolve): error_rate, p95_ms',
    ]);
  }, 60_000);

  it("an incident with its own channel gets the chart there, where its people work, not in the announcement's thread", async () => {
    const bot = await start(prometheus.url, { channels: { create_incident_channel: true } });
    const res = await postAlert(bot, 'generic', generic('chart-channel', { service: 'checkout', severity: 'P2' }));
    const id = res.json.incidents[0];
    const file = await waitFor(fileFor(bot, id, 'open'), 'the chart at open', 20_000);
    const channel = (await bot.bot.store.get(id))!.channel!;
    expect(channel.id).toMatch(/^C/);
    expect(file.channel).toBe(channel.id);
    expect(file.threadTs).toBeUndefined();
    expect(decoded(file).width).toBe(1000);
  }, 40_000);

  it('Prometheus down: the announcement is posted, no chart is uploaded, and the log says why once', async () => {
    const bot = await start(`http://127.0.0.1:${await freePort()}`);
    const res = await postAlert(bot, 'generic', generic('chart-down', { service: 'checkout', severity: 'P2' }));
    expect(res.status).toBe(202);
    const id = res.json.incidents[0];
    await waitFor(() => bot.logs.find((l) => l.includes('no signal chart at open')), 'the log line', 20_000);
    expect(bot.slack.messages.some((m) => m.metadata?.event_payload?.incident_id === id)).toBe(true);
    expect(bot.slack.callsTo('files.getUploadURLExternal')).toHaveLength(0);
    const lines = bot.logs.filter((l) => l.includes('no signal chart'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/signals unavailable: cannot reach Prometheus at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    expect((await incident(bot, id)).timeline.some((e: any) => e.kind === 'signal_chart')).toBe(false);
  }, 40_000);

  it('Slack refuses the upload (missing_scope, then a 5xx on the upload URL): one try each, one log line, the timeline says "chart not posted"', async () => {
    const bot = await start();
    bot.slack.fail('files.getUploadURLExternal', 'missing_scope');
    const res = await postAlert(bot, 'generic', generic('chart-scope', { service: 'checkout', severity: 'P2' }));
    const id = res.json.incidents[0];
    const refused = await waitFor(
      async () => (await incident(bot, id)).timeline.find((e: any) => e.kind === 'signal_chart'),
      'the refusal on the timeline',
      20_000,
    );
    expect(refused.text).toBe(
      'Signal chart not posted: the Slack app lacks a permission; reinstall it from manifest.yml (missing_scope) (at open)',
    );
    expect(bot.slack.callsTo('files.getUploadURLExternal')).toHaveLength(1);
    expect(bot.logs.filter((l) => l.includes('signal chart not posted'))).toHaveLength(1);

    bot.slack.fail('upload', 'upstream error', 1, { status: 503 });
    await bot.command(`resolve ${id} errors gone --override "checked by hand"`, { user: 'U0ALICE' });
    const second = await waitFor(
      async () => {
        const events = (await incident(bot, id)).timeline.filter((e: any) => e.kind === 'signal_chart');
        return events.length === 2 ? events[1] : null;
      },
      'the 5xx on the timeline',
      20_000,
    );
    expect(second.text).toBe('Signal chart not posted: Slack answered "http_503" (at resolve)');
    expect(bot.slack.callsTo('upload')).toHaveLength(1);
    expect(bot.slack.callsTo('files.completeUploadExternal')).toHaveLength(0);
    expect(bot.slack.files.some((f) => f.channel)).toBe(false);
  }, 60_000);
});
