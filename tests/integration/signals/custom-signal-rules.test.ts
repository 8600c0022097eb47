import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusHarness, prometheusPresent, SKIP_REASON, TestExporter, TEST_QUERIES } from '../../support/prometheus-harness';
import { waitFor } from '../../support/start-bot';
import { generic, incident, lastDrawn, postAlert, startAlertBot } from '../alerts/alert-harness';

// A signal the bot does not know by itself (queue_depth), named under signals.queries and used
// in a severity rule, classifies an incident at open from what a real Prometheus measures.
const QUEUE_DEPTH = 'max(orders_queue_depth{service="{service}"})';
const RULES = `rules:
  - id: urgent-queue-backlog
    severity: P1
    urgency: urgent
    when: { any: [{ signal: queue_depth, op: '>', value: 1000 }] }
  - id: planned-error-rate
    severity: P2
    urgency: planned
    when: { any: [{ signal: error_rate, op: '>', value: 10 }] }
`;

let exporter: TestExporter;
let prometheus: PrometheusHarness;
let dir: string;

describe.skipIf(!prometheusPresent)(`a custom signal in the severity rules${prometheusPresent ? '' : ` (${SKIP_REASON})`}`, () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ib-custom-rules-'));
    writeFileSync(join(dir, 'rules.yml'), RULES);
    exporter = await new TestExporter().start();
    exporter.traffic('orders', { requestsPerSecond: 50, errorPercent: 0, latencySeconds: 0.02 });
    exporter.gauge('orders_queue_depth{service="orders",shard="a"}', 1800);
    exporter.gauge('orders_queue_depth{service="orders",shard="b"}', 200);
    prometheus = await new PrometheusHarness({ targets: [exporter.url] }).start();
    await prometheus.waitFor('max(orders_queue_depth{service="orders"})', (v) => v === 1800, 'queue depth scraped');
  }, 60_000);

  afterAll(async () => {
    await prometheus?.cleanup();
    await exporter?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('queue_depth 1800 > 1000 makes a P3 alert P1 at open, and the announcement says why', async () => {
    const bot = await startAlertBot({
      file: {
        severity_rules_file: join(dir, 'rules.yml'),
        services: [{ name: 'orders' }],
        alerts: { slack_min_interval: '50ms' },
        signals: { prometheus: { timeout: '2s' }, reevaluate_every: '5s', queries: { ...TEST_QUERIES, queue_depth: QUEUE_DEPTH } },
      },
      env: { PROMETHEUS_URL: prometheus.url },
    });
    try {
      const res = await postAlert(bot, 'generic', generic('backlog', { service: 'orders', severity: 'P3', title: 'orders slow' }));
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
      expect(shown.severityReason).toMatch(/^P1 because queue_depth 1800 > 1000 \(rule urgent-queue-backlog, Prometheus \d\d:\d\d UTC\)$/);
      const drawn = await waitFor(
        () => (lastDrawn(bot, id)?.includes('queue_depth 1800 &gt; 1000') ? lastDrawn(bot, id) : null),
        'the announcement with the custom signal',
      );
      expect(drawn).toContain('rule urgent-queue-backlog');
    } finally {
      await bot.stop({ cleanup: true });
    }
  }, 60_000);
});
