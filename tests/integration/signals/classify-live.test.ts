import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runClassifyCli } from '../../../src/adapters/inbound/cli/classify';
import type { CliIo } from '../../../src/adapters/inbound/cli/cli-io';
import { freePort } from '../../support/processes';
import { PrometheusHarness, prometheusPresent, SKIP_REASON, TestExporter, TEST_QUERIES } from '../../support/prometheus-harness';

let exporter: TestExporter;
let prometheus: PrometheusHarness;
let dir: string;

const payload = JSON.stringify({
  version: '4',
  groupKey: '{}:{alertname="CheckoutErrors"}',
  truncatedAlerts: 0,
  status: 'firing',
  receiver: 'incident-bot',
  groupLabels: { alertname: 'CheckoutErrors' },
  commonLabels: {},
  commonAnnotations: {},
  externalURL: 'http://am',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'CheckoutErrors', service: 'checkout', severity: 'warning' },
      annotations: { summary: 'checkout errors' },
      startsAt: new Date().toISOString(),
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://p',
      fingerprint: 'abc',
    },
  ],
});

function io(env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = {
    stdin: async () => payload,
    stdinIsTTY: false,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readFile: async () => payload,
    env,
  };
  return { io: value, out: () => out.join(''), err: () => err.join('') };
}

function config(queries: Record<string, string>): string {
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(path, stringify({ signals: { prometheus: { timeout: '2s' }, queries } }));
  return path;
}

describe.skipIf(!prometheusPresent)(
  `incident-bot classify --live against a real Prometheus${prometheusPresent ? '' : ` (${SKIP_REASON})`}`,
  () => {
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'ib-classify-live-'));
      exporter = await new TestExporter().start();
      exporter.traffic('checkout', { requestsPerSecond: 100, errorPercent: 40, latencySeconds: 0.03 });
      prometheus = await new PrometheusHarness({ targets: [exporter.url] }).start();
      await prometheus.waitFor(
        '100 * sum(rate(http_requests_total{service="checkout",code="500"}[5s])) / sum(rate(http_requests_total{service="checkout"}[5s]))',
        (v) => v > 30,
        'checkout errors visible',
      );
    }, 60_000);

    afterAll(async () => {
      await prometheus?.cleanup();
      await exporter?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("queries the payload's service and classifies with the live values", async () => {
      const t = io({ CONFIG: config(TEST_QUERIES), PROMETHEUS_URL: prometheus.url });
      expect(await runClassifyCli(['-', '--live'], t.io)).toBe(0);
      expect(t.out()).toContain('because:      P2 because label severity=warning (no signal rule matched)');
      expect(t.out()).toMatch(/live signals for checkout \(Prometheus \d\d:\d\d UTC\): error_rate \d+(\.\d+)?%, p95_ms \d+(\.\d+)? ms/);
      expect(t.out()).toMatch(
        /with live signals: P1 because error_rate \d+(\.\d+)?% > 15% \(rule urgent-error-rate, Prometheus \d\d:\d\d UTC\)/,
      );
      expect(t.err()).toBe('');
    });

    it('--json carries the snapshot and the live decision', async () => {
      const t = io({ CONFIG: config(TEST_QUERIES), PROMETHEUS_URL: prometheus.url });
      expect(await runClassifyCli(['-', '--live', '--json'], t.io)).toBe(0);
      const json = JSON.parse(t.out());
      expect(json.live).toMatchObject({
        service: 'checkout',
        decision: { severity: 'P1', rule: 'urgent-error-rate' },
        fromLive: ['error_rate', 'p95_ms'],
        queryProblems: [],
      });
    });

    it('names a query that does not parse and exits 1', async () => {
      const t = io({ CONFIG: config({ ...TEST_QUERIES, broken: 'rate(x[5s]' }), PROMETHEUS_URL: prometheus.url });
      expect(await runClassifyCli(['-', '--live'], t.io)).toBe(1);
      expect(t.err()).toMatch(/^signal query does not work: signals\.queries\.broken: query error \(bad_data\)/);
    });

    it('Prometheus down: the offline decision stands and the reason is shown', async () => {
      const t = io({ CONFIG: config(TEST_QUERIES), PROMETHEUS_URL: `http://127.0.0.1:${await freePort()}` });
      expect(await runClassifyCli(['-', '--live'], t.io)).toBe(0);
      expect(t.out()).toMatch(/with live signals: unchanged \(signals unavailable: cannot reach Prometheus at .* \(ECONNREFUSED\)\)/);
    });

    it('without a Prometheus URL --live is a usage error saying what to set', async () => {
      const t = io({ CONFIG: config(TEST_QUERIES) });
      expect(await runClassifyCli(['-', '--live'], t.io)).toBe(2);
      expect(t.err()).toContain('--live needs live signals configured: signals.prometheus.url in the config, or PROMETHEUS_URL');
    });
  },
);
