import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusSignalSource } from '../../../src/adapters/outbound/prometheus/prometheus-signal-source';
import { CheckRunner } from '../../../src/adapters/outbound/runners/check-runner';
import { verificationChecksSchema } from '../../../src/domain/rollback/rollback-plan-schema';
import { createLogger } from '../../../src/logger';
import { freePort } from '../../support/processes';
import { PrometheusHarness, prometheusPresent, SKIP_REASON, TestExporter, TEST_QUERIES } from '../../support/prometheus-harness';

const log = createLogger('silent');
let exporter: TestExporter;
let prometheus: PrometheusHarness;

function runner(url = prometheus.url): CheckRunner {
  const signals = new PrometheusSignalSource({ url, timeoutMs: 2_000, cacheMs: 0, queries: TEST_QUERIES, serviceQueries: {}, log });
  return new CheckRunner({ logger: log, signals });
}

const checks = (...raw: unknown[]) => verificationChecksSchema.parse(raw);
const ctx = (service = 'healthy') => ({ placeholders: { service }, signal: new AbortController().signal });

describe('verification by signal: the YAML shape', () => {
  it.each([
    [
      { kind: 'prometheus', signal: 'error_rate', below: 1, for: '2m' },
      { kind: 'prometheus', name: 'error_rate below 1 for 120s', ref: { signal: 'error_rate' }, op: 'below', threshold: 1, forMs: 120_000 },
    ],
    [
      { kind: 'prometheus', query: 'up{job="x"}', above: 0, for: '30s', name: 'target up' },
      { kind: 'prometheus', name: 'target up', ref: { query: 'up{job="x"}' }, op: 'above', threshold: 0, forMs: 30_000 },
    ],
  ])('%j', (raw, parsed) => expect(checks(raw)[0]).toMatchObject(parsed));

  it.each([
    [{ kind: 'prometheus', below: 1, for: '1m' }, 'give exactly one of "signal" or "query"'],
    [{ kind: 'prometheus', signal: 'error_rate', query: 'x', below: 1, for: '1m' }, 'give exactly one of "signal" or "query"'],
    [{ kind: 'prometheus', signal: 'error_rate', for: '1m' }, 'give exactly one of "below" or "above"'],
    [{ kind: 'prometheus', signal: 'error_rate', below: 1, above: 2, for: '1m' }, 'give exactly one of "below" or "above"'],
    [{ kind: 'prometheus', signal: 'error_rate', below: 1 }, 'for'],
    [{ kind: 'prometheus', signal: 'error_rate', below: '1', for: '1m' }, 'below'],
  ])('refuses %j naming the key', (raw, message) => {
    const parsed = verificationChecksSchema.safeParse([raw]);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n')).toContain(message);
  });
});

describe.skipIf(!prometheusPresent)(
  `verification by signal against a real Prometheus${prometheusPresent ? '' : ` (${SKIP_REASON})`}`,
  () => {
    beforeAll(async () => {
      exporter = await new TestExporter().start();
      exporter.traffic('healthy', { requestsPerSecond: 100, errorPercent: 0, latencySeconds: 0.03 });
      exporter.traffic('broken', { requestsPerSecond: 100, errorPercent: 30, latencySeconds: 0.03 });
      prometheus = await new PrometheusHarness({ targets: [exporter.url] }).start();
      await prometheus.waitFor(
        '100 * sum(rate(http_requests_total{service="broken",code="500"}[5s])) / sum(rate(http_requests_total{service="broken"}[5s]))',
        (v) => v > 20,
        'broken errors visible',
      );
    }, 60_000);

    afterAll(async () => {
      await prometheus?.cleanup();
      await exporter?.stop();
    });

    it('passes when the condition holds for the whole window', async () => {
      const outcome = await runner().runAll(checks({ kind: 'prometheus', signal: 'error_rate', below: 1, for: '3s' }), ctx('healthy'));
      expect(outcome.passed).toBe(true);
      expect(outcome.results[0]!.detail).toMatch(/^error_rate below 1 held for 3s \(\d+ samples, max 0, Prometheus\)$/);
      expect(outcome.results[0]!.durationMs).toBeGreaterThanOrEqual(2_900);
    });

    it('fails at the first sample that breaks it, naming the value', async () => {
      const outcome = await runner().runAll(checks({ kind: 'prometheus', signal: 'error_rate', below: 1, for: '1m' }), ctx('broken'));
      expect(outcome.passed).toBe(false);
      expect(outcome.results[0]!.detail).toMatch(/^error_rate below 1: was \d+(\.\d+)? after 0s$/);
    });

    it('a raw query with {service} and "above" works the same way', async () => {
      const outcome = await runner().runAll(
        checks({ kind: 'prometheus', query: 'sum(rate(http_requests_total{service="{service}"}[5s]))', above: 10, for: '2s' }),
        ctx('healthy'),
      );
      expect(outcome.passed).toBe(true);
    });

    it('"no data" fails: an unmeasured service is not a recovered one', async () => {
      const outcome = await runner().runAll(checks({ kind: 'prometheus', signal: 'error_rate', below: 1, for: '2s' }), ctx('nobody'));
      expect(outcome.results[0]!.detail).toBe('error_rate below 1: no data');
    });

    it('Prometheus down fails with the reason', async () => {
      const outcome = await runner(`http://127.0.0.1:${await freePort()}`).runAll(
        checks({ kind: 'prometheus', signal: 'error_rate', below: 1, for: '2s' }),
        ctx('healthy'),
      );
      expect(outcome.results[0]!.detail).toMatch(/^signals unavailable: cannot reach Prometheus/);
    });

    it('without a signal source it fails saying what to configure', async () => {
      const outcome = await new CheckRunner({ logger: log }).runAll(
        checks({ kind: 'prometheus', signal: 'error_rate', below: 1, for: '2s' }),
        ctx(),
      );
      expect(outcome.results[0]!.detail).toBe('signals are not configured (signals.prometheus.url or PROMETHEUS_URL)');
    });
  },
);
