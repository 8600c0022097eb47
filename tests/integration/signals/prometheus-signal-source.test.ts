import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusSignalSource, type PrometheusOptions } from '../../../src/adapters/outbound/prometheus/prometheus-signal-source';
import { createLogger } from '../../../src/logger';
import { freePort } from '../../support/processes';
import { waitFor } from '../../support/start-bot';
import { PrometheusHarness, prometheusPresent, SKIP_REASON, TestExporter, TEST_QUERIES } from '../../support/prometheus-harness';
import { PrometheusProxy } from '../../support/prometheus-proxy';

const log = createLogger('silent');
let exporter: TestExporter;
let prometheus: PrometheusHarness;
let proxy: PrometheusProxy;

function source(options: Partial<PrometheusOptions> = {}): PrometheusSignalSource {
  return new PrometheusSignalSource({
    url: prometheus.url,
    timeoutMs: 5_000,
    cacheMs: 5_000,
    queries: TEST_QUERIES,
    serviceQueries: {},
    log,
    ...options,
  });
}

describe.skipIf(!prometheusPresent)(
  `the Prometheus signal source against a real Prometheus${prometheusPresent ? '' : ` (${SKIP_REASON})`}`,
  () => {
    beforeAll(async () => {
      exporter = await new TestExporter().start();
      exporter.traffic('checkout', { requestsPerSecond: 100, errorPercent: 40, latencySeconds: 0.2 });
      exporter.traffic('search', { requestsPerSecond: 50, errorPercent: 0, latencySeconds: 0.03 });
      prometheus = await new PrometheusHarness({ targets: [exporter.url] }).start();
      proxy = await new PrometheusProxy(() => prometheus.url).start();
      await prometheus.waitFor(
        '100 * sum(rate(http_requests_total{service="checkout",code="500"}[5s])) / sum(rate(http_requests_total{service="checkout"}[5s]))',
        (v) => v > 30,
        'checkout errors visible',
      );
    }, 60_000);

    afterAll(async () => {
      await proxy?.stop();
      await prometheus?.cleanup();
      await exporter?.stop();
    });

    it('reads every named signal of a service, with the time Prometheus measured them', async () => {
      const before = Date.now();
      const snapshot = await source().readSignals('checkout');
      expect(snapshot.source).toBe('Prometheus');
      expect(snapshot.unavailable).toBeNull();
      expect(snapshot.values.error_rate).toBeGreaterThan(30);
      expect(snapshot.values.error_rate).toBeLessThan(50);
      // 0.2 s requests land in the 0.1–0.25 bucket: the 95th percentile interpolates inside it.
      expect(snapshot.values.p95_ms).toBeGreaterThan(100);
      expect(snapshot.values.p95_ms).toBeLessThanOrEqual(250);
      expect(snapshot.at).toBeGreaterThanOrEqual(before - 2_000);
    });

    it('a healthy service reads 0% errors; a service without traffic reads "no data", never 0', async () => {
      const healthy = await source().readSignals('search');
      expect(healthy.values.error_rate).toBe(0);
      const silent = await source().readSignals('nobody-serves-this');
      expect(silent.values).toEqual({ error_rate: null, p95_ms: null });
      expect(silent.unavailable).toBeNull();
    });

    it('NaN is "no data"', async () => {
      const reading = await source().read({ query: 'vector(0) / vector(0)' }, null);
      expect(reading.kind).toBe('no_data');
    });

    it('a service name cannot inject PromQL: quotes and regex characters stay inside the label value', async () => {
      const s = source({
        queries: { total: 'sum(http_requests_total{service="{service}"})', matched: 'count(http_requests_total{service=~"{service}"})' },
      });
      expect((await s.readSignals('checkout')).values.total).toBeGreaterThan(0);
      // Unescaped, this would end the string and return vector(1); escaped it is just an odd service name.
      const injected = await s.readSignals('x"}) or vector(1) or sum(up{job="');
      expect(injected).toMatchObject({ values: { total: null, matched: null }, unavailable: null });
      // In a regex matcher `.*` would match every service; quoted it matches none.
      expect((await s.readSignals('.*')).values.matched).toBeNull();
    });

    it('per-service overrides replace the shared query for that service only', async () => {
      const s = source({ serviceQueries: { checkout: { error_rate: 'vector(7)' } } });
      expect((await s.readSignals('checkout')).values.error_rate).toBe(7);
      expect((await s.readSignals('search')).values.error_rate).toBe(0);
      expect(s.signalNames('checkout')).toEqual(['error_rate', 'p95_ms']);
    });

    it('reads a window as a series, one point per step', async () => {
      // Right after start-up Prometheus holds only a few seconds of data: wait until the window is covered.
      const series = await waitFor(
        async () => {
          const now = Date.now();
          const s = await source().readRange({ signal: 'error_rate' }, 'checkout', { startMs: now - 4_000, endMs: now, stepMs: 1_000 });
          return s.kind === 'series' && s.points.length === 5 ? s : null;
        },
        'a 5-point window',
        30_000,
      );
      for (const p of series.points) expect(p.value).toBeGreaterThan(30);
    });

    it('reads each service once while a read is cached: an alert storm costs one query per signal', async () => {
      const s = source({ url: proxy.url });
      const start = proxy.queriesTo('/api/v1/query').length;
      await Promise.all(Array.from({ length: 20 }, () => s.readSignals('checkout')));
      await s.readSignals('checkout');
      expect(proxy.queriesTo('/api/v1/query').length - start).toBe(2);
    });

    it('sends PROMETHEUS_TOKEN as a bearer token; a refusal is "unavailable" naming the fix', async () => {
      proxy.requiredToken = 'prom-secret';
      try {
        const good = await source({ url: proxy.url, token: 'prom-secret', cacheMs: 0 }).readSignals('checkout');
        expect(good.unavailable).toBeNull();
        expect(proxy.requests.at(-1)!.authorization).toBe('Bearer prom-secret');
        const refused = await source({ url: proxy.url, token: 'wrong', cacheMs: 0 }).readSignals('checkout');
        expect(refused).toMatchObject({ values: {}, unavailable: 'Prometheus refused the request (HTTP 401; check PROMETHEUS_TOKEN)' });
      } finally {
        proxy.requiredToken = null;
      }
    });

    it('a slow Prometheus is cut off at the timeout', async () => {
      proxy.hang = true;
      try {
        const slow = await source({ url: proxy.url, timeoutMs: 1_000, cacheMs: 0 }).readSignals('checkout');
        expect(slow.unavailable).toBe('no answer from Prometheus within 1s');
      } finally {
        proxy.hang = false;
      }
    });

    it('Prometheus down is "unavailable: cannot reach"', async () => {
      const port = await freePort();
      const down = await source({ url: `http://127.0.0.1:${port}`, cacheMs: 0 }).readSignals('checkout');
      expect(down.unavailable).toMatch(/^cannot reach Prometheus at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)$/);
    });

    it('the start-up check names each query that does not parse, and only those', async () => {
      const s = source({
        queries: { ...TEST_QUERIES, broken: 'sum(rate(http_requests_total[5s]' },
        serviceQueries: { checkout: { latency: 'histogram_quantile(0.95,' } },
      });
      const check = await s.selfCheck();
      expect(check.unreachable).toBeNull();
      expect(check.problems).toHaveLength(2);
      expect(check.problems[0]).toMatch(/^signals\.queries\.broken: query error \(bad_data\): .*parse error/);
      expect(check.problems[1]).toMatch(/^services\[checkout\]\.signals\.latency: query error \(bad_data\)/);
      const port = await freePort();
      expect((await source({ url: `http://127.0.0.1:${port}` }).selfCheck()).unreachable).toMatch(/cannot reach Prometheus/);
    });

    it('an expression that errors at evaluation is a query error, not a crash', async () => {
      const reading = await source().read(
        { query: 'http_requests_total{service="checkout"} + on(nothing) group_left http_requests_total' },
        null,
      );
      expect(reading.kind).toBe('unavailable');
    });
  },
);
