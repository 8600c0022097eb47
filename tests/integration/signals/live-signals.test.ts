import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/adapters/outbound/slack/ids';
import { freePort } from '../../support/processes';
import { PrometheusHarness, prometheusPresent, SKIP_REASON, TestExporter, TEST_QUERIES } from '../../support/prometheus-harness';
import { waitFor, type RunningBot } from '../../support/start-bot';
import { amWebhook, generic, incident, lastDrawn, postAlert, startAlertBot } from '../alerts/alert-harness';

let exporter: TestExporter;
let prometheus: PrometheusHarness;
const bots: RunningBot[] = [];

const ERRORS_CHECKOUT =
  '100 * sum(rate(http_requests_total{service="checkout",code="500"}[5s])) / sum(rate(http_requests_total{service="checkout"}[5s]))';
const ERRORS_SEARCH =
  '100 * sum(rate(http_requests_total{service="search",code="500"}[5s])) / sum(rate(http_requests_total{service="search"}[5s]))';

async function start(file: Record<string, unknown> = {}, prometheusUrl = prometheus.url): Promise<RunningBot> {
  const bot = await startAlertBot({
    file: {
      services: [{ name: 'checkout' }, { name: 'search' }],
      alerts: { slack_min_interval: '50ms' },
      signals: { prometheus: { timeout: '2s' }, reevaluate_every: '1s', cache_for: '500ms', queries: TEST_QUERIES },
      recovery: { hold_for: '3s' },
      ...file,
    },
    env: { PROMETHEUS_URL: prometheusUrl },
  });
  bots.push(bot);
  return bot;
}

const stored = (bot: RunningBot, id: string) => bot.bot.store.get(id);

describe.skipIf(!prometheusPresent)(`live signals from a real Prometheus${prometheusPresent ? '' : ` (${SKIP_REASON})`}`, () => {
  beforeAll(async () => {
    exporter = await new TestExporter().start();
    exporter.traffic('checkout', { requestsPerSecond: 100, errorPercent: 40, latencySeconds: 0.03 });
    exporter.traffic('search', { requestsPerSecond: 100, errorPercent: 0, latencySeconds: 0.03 });
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

  it('classifies at open from live values: a warning-labelled alert becomes P1 because of the measured error rate, after the 202', async () => {
    const bot = await start();
    const res = await postAlert(
      bot,
      'alertmanager',
      amWebhook('live-open', [{ fingerprint: 'l1', labels: { alertname: 'CheckoutErrors', service: 'checkout', severity: 'warning' } }]),
    );
    expect(res.status).toBe(202);
    const id = res.json.incidents[0];
    const shown = await waitFor(
      async () => {
        const i = await incident(bot, id);
        return i.signals?.atOpen ? i : null;
      },
      'signals at open',
      20_000,
    );
    expect(shown.severity).toBe('P1');
    expect(shown.severityReason).toMatch(/^P1 because error_rate \d+(\.\d+)?% > 15% \(rule urgent-error-rate, Prometheus \d\d:\d\d UTC\)$/);
    expect(shown.signals.atOpen.values.error_rate).toBeGreaterThan(30);
    expect(shown.timeline.map((e: any) => e.kind)).toEqual(expect.arrayContaining(['signals_at_open', 'severity']));
    const drawn = await waitFor(
      () => (lastDrawn(bot, id)?.includes('rule urgent-error-rate, Prometheus') ? lastDrawn(bot, id) : null),
      'the announcement with the live reason',
    );
    expect(drawn).toContain('*Signals* (Prometheus');
    expect(drawn).toContain('error_rate');
  }, 40_000);

  it("alert-carried values and live values merge: the live error rate wins over the alert's, a carried detection stays", async () => {
    const bot = await start();
    // The alert says 5% errors (no rule) and data loss; Prometheus measures 40%.
    const res = await postAlert(bot, 'generic', generic('merge', { service: 'checkout', signals: { error_rate: 5, data_loss: true } }));
    const id = res.json.incidents[0];
    expect((await incident(bot, id)).severity).toBe('P0');
    const shown = await waitFor(async () => ((await stored(bot, id))?.signals?.atOpen ? stored(bot, id) : null), 'signals at open', 20_000);
    // P0 stays (data loss is the first rule); nothing was lowered, nothing noted twice.
    expect(shown.severity).toBe('P0');
    expect(shown.severityReason).toContain('data_loss detected');
    expect(shown.signals!.atOpen!.values.error_rate).toBeGreaterThan(30);
  }, 40_000);

  it('Prometheus down: the sender still gets its 202, severity comes from the alert, and the announcement says "signals unavailable: <reason>"', async () => {
    const bot = await start({}, `http://127.0.0.1:${await freePort()}`);
    const res = await postAlert(
      bot,
      'alertmanager',
      amWebhook('live-down', [{ fingerprint: 'd1', labels: { alertname: 'CheckoutErrors', service: 'checkout', severity: 'warning' } }]),
    );
    expect(res.status).toBe(202);
    const id = res.json.incidents[0];
    const drawn = await waitFor(
      () => (lastDrawn(bot, id)?.includes('signals unavailable') ? lastDrawn(bot, id) : null),
      'the fault in the announcement',
      20_000,
    );
    expect(drawn).toMatch(/signals unavailable: cannot reach Prometheus at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    const shown = await incident(bot, id);
    expect(shown.severity).toBe('P2');
    expect(shown.severityReason).toBe('P2 because label severity=warning (no signal rule matched)');
  }, 40_000);

  it('re-evaluation proposes a raise when errors climb, never applies it; a person confirms with the button, a second click changes nothing', async () => {
    exporter.traffic('search', { requestsPerSecond: 100, errorPercent: 0, latencySeconds: 0.03 });
    const bot = await start();
    const res = await postAlert(bot, 'generic', generic('raise', { service: 'search', severity: 'P3', title: 'search slow-ish' }));
    const id = res.json.incidents[0];
    await waitFor(async () => (await stored(bot, id))?.signals?.atOpen, 'signals at open', 20_000);
    expect((await stored(bot, id))!.severity).toBe('P3');

    exporter.traffic('search', { requestsPerSecond: 100, errorPercent: 60, latencySeconds: 0.03 });
    const proposed = await waitFor(
      async () => ((await stored(bot, id))?.signals?.raiseProposal?.severity === 'P1' ? stored(bot, id) : null),
      'a P1 proposal',
      30_000,
    );
    // Proposed, not applied.
    expect(proposed!.severity).toBe('P3');
    expect(proposed!.signals!.raiseProposal!.explanation).toMatch(
      /^P1 because error_rate .* > 15% \(rule urgent-error-rate, Prometheus \d\d:\d\d UTC\)$/,
    );
    const drawn = await waitFor(
      () => (lastDrawn(bot, id)?.includes(ACTIONS.raiseSeverityFromSignals) ? lastDrawn(bot, id) : null),
      'the raise button',
    );
    expect(drawn).toContain('Raise to P1');
    expect(drawn).toMatch(/error_rate 0% → \d+(\.\d+)?% \(rising\)/);

    const click = await bot.click(ACTIONS.raiseSeverityFromSignals, id, 'U0ALICE');
    expect(click.status).toBe(200);
    const raised = await waitFor(async () => ((await stored(bot, id))?.severity === 'P1' ? stored(bot, id) : null), 'raised by the click');
    expect(raised!.severityConfirmed?.by).toBe('U0ALICE');
    expect(raised!.signals!.raiseProposal).toBeNull();
    const again = await bot.click(ACTIONS.raiseSeverityFromSignals, id, 'U0BOB');
    const refusal = await waitFor(() => bot.replies(again.responseId)[0], 'the refusal');
    expect(refusal.text).toContain('no severity raise waiting');
    const timeline = (await incident(bot, id)).timeline.filter((e: any) => e.kind === 'severity');
    expect(timeline).toHaveLength(1);
    exporter.traffic('search', { requestsPerSecond: 100, errorPercent: 0, latencySeconds: 0.03 });
  }, 60_000);

  it('gate 3 by evidence: alerts resolved and signals under every rule for hold_for; then "resolve incident?" resolves without an override', async () => {
    await prometheus.waitFor(ERRORS_SEARCH, (v) => v === 0, 'search healthy again');
    const bot = await start();
    const fire = await postAlert(bot, 'generic', generic('recover', { service: 'search', severity: 'P2' }));
    const id = fire.json.incidents[0];
    await postAlert(bot, 'generic', generic('recover', { service: 'search', severity: 'P2', status: 'resolved' }));
    const validated = await waitFor(
      async () => ((await stored(bot, id))?.gates?.recoveryValidatedAt ? stored(bot, id) : null),
      'recovery validated by signals',
      30_000,
    );
    const evidence = validated!.signals!.recovery!;
    expect(evidence.alerts).toMatchObject({ resolved: 1 });
    expect(evidence.source).toBe('Prometheus');
    expect(evidence.signals.find((s) => s.signal === 'error_rate')).toMatchObject({ max: 0, threshold: 10 });
    expect((await incident(bot, id)).timeline.find((e: any) => e.kind === 'recovery_validated').text).toMatch(
      /^Recovery validated by evidence: all 1 alert\(s\) resolved since \d\d:\d\d UTC; error_rate max 0 \(under 10\)/,
    );

    const click = await bot.click(ACTIONS.resolveAlertsResolved, id, 'U0ALICE');
    expect(click.status).toBe(200);
    await waitFor(async () => (await stored(bot, id))?.status === 'resolved', 'resolved by the click');
    const resolved = await incident(bot, id);
    expect(resolved.timeline.some((e: any) => e.kind === 'recovery_override')).toBe(false);
  }, 60_000);

  it('gate 3 is not met while signals still break a rule, even with every alert resolved', async () => {
    const bot = await start();
    const fire = await postAlert(bot, 'generic', generic('still-bad', { service: 'checkout', severity: 'P2' }));
    const id = fire.json.incidents[0];
    await postAlert(bot, 'generic', generic('still-bad', { service: 'checkout', severity: 'P2', status: 'resolved' }));
    const resolvedAt = (await stored(bot, id))!.alerts!.allResolvedAt!;
    // The judgement ran after the hold and scheduled its next try: that is the proof it said "not yet".
    await waitFor(
      async () => (await bot.bot.timers.list(`${id}:signals:recovery:${resolvedAt}:`)).length > 0 || null,
      'a second judgement scheduled',
      30_000,
    );
    expect((await stored(bot, id))!.gates?.recoveryValidatedAt ?? null).toBeNull();
    const click = await bot.click(ACTIONS.resolveAlertsResolved, id, 'U0ALICE');
    const refusal = await waitFor(() => bot.replies(click.responseId)[0], 'the gate 3 refusal');
    expect(refusal.text).toContain('Gate 3');
    expect((await stored(bot, id))!.status).not.toBe('resolved');
  }, 60_000);

  it('Prometheus stopped mid-incident: the re-evaluation says so, and picks up again when it is back', async () => {
    const own = await new PrometheusHarness({ targets: [exporter.url] }).start();
    try {
      await own.waitFor(ERRORS_CHECKOUT, (v) => v > 30, 'checkout errors visible');
      const bot = await start({}, own.url);
      const res = await postAlert(bot, 'generic', generic('midway', { service: 'checkout', severity: 'P1' }));
      const id = res.json.incidents[0];
      await waitFor(async () => (await stored(bot, id))?.signals?.atOpen?.values.error_rate, 'signals at open', 20_000);
      await own.stop();
      await waitFor(
        async () => (await stored(bot, id))?.signals?.latest?.unavailable?.startsWith('cannot reach Prometheus'),
        'the outage seen',
        20_000,
      );
      await waitFor(
        () => lastDrawn(bot, id)?.includes('signals unavailable: cannot reach Prometheus'),
        'the outage in the announcement',
        10_000,
      );
      expect((await incident(bot, id)).timeline.filter((e: any) => e.kind === 'signals_unavailable')).toHaveLength(1);
      await own.restart();
      await waitFor(
        async () => {
          const latest = (await stored(bot, id))?.signals?.latest;
          return latest && latest.unavailable === null && typeof latest.values.error_rate === 'number';
        },
        'signals back',
        40_000,
      );
      expect((await stored(bot, id))!.status).toBe('investigating');
    } finally {
      await own.cleanup();
    }
  }, 90_000);
});

describe('gate 3 by evidence without a signal source', () => {
  it('all alerts resolved meets gate 3 at once; the offer resolves without an override; firing again withdraws it first', async () => {
    const bot = await startAlertBot({ file: { services: [{ name: 'checkout' }], alerts: { slack_min_interval: '50ms' } } });
    try {
      const fire = await postAlert(bot, 'generic', generic('no-signals'));
      const id = fire.json.incidents[0];
      await postAlert(bot, 'generic', generic('no-signals', { status: 'resolved' }));
      await waitFor(async () => (await bot.bot.store.get(id))?.gates?.recoveryValidatedAt, 'recovery validated by the alerts');
      expect((await incident(bot, id)).timeline.find((e: any) => e.kind === 'recovery_validated').text).toMatch(
        /^Recovery validated by evidence: all 1 alert\(s\) resolved since \d\d:\d\d UTC$/,
      );

      await postAlert(bot, 'generic', generic('no-signals'));
      await waitFor(async () => (await bot.bot.store.get(id))?.gates?.recoveryValidatedAt === null, 'withdrawn when the alert fires again');
      await postAlert(bot, 'generic', generic('no-signals', { status: 'resolved' }));
      await waitFor(async () => (await bot.bot.store.get(id))?.gates?.recoveryValidatedAt, 'validated again');

      await bot.click(ACTIONS.resolveAlertsResolved, id, 'U0ALICE');
      await waitFor(async () => (await bot.bot.store.get(id))?.status === 'resolved', 'resolved by the click');
      const kinds = (await incident(bot, id)).timeline.map((e: any) => e.kind);
      expect(kinds).not.toContain('recovery_override');
      expect(kinds.filter((k: string) => k === 'recovery_withdrawn')).toHaveLength(1);
    } finally {
      await bot.stop({ cleanup: true });
    }
  }, 30_000);
});
