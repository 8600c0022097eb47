import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config';
import { DEFAULT_SIGNAL_QUERIES } from '../../../src/config/signals-schema';

const load = (file: unknown, env: Record<string, string> = {}) =>
  loadConfig({
    file,
    env,
    readFile: () => {
      throw Object.assign(new Error('no'), { code: 'ENOENT' });
    },
  });

describe('signals config', () => {
  it('is off without a Prometheus URL, and gate 3 by evidence holds for 5m by default', () => {
    const r = load({});
    expect(r.ok && r.config.signals).toBeNull();
    expect(r.ok && r.config.recovery).toEqual({ holdForMs: 300_000 });
  });

  it('takes the URL from the file or PROMETHEUS_URL (which wins), the token from PROMETHEUS_TOKEN, the documented default queries', () => {
    const r = load(
      { signals: { prometheus: { url: 'http://file:9090' } } },
      { PROMETHEUS_URL: 'http://env:9090', PROMETHEUS_TOKEN: 'secret' },
    );
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.config.signals).toEqual({
      prometheus: { url: 'http://env:9090', token: 'secret', timeoutMs: 5_000 },
      reevaluateEveryMs: 60_000,
      cacheMs: 5_000,
      queries: DEFAULT_SIGNAL_QUERIES,
      serviceQueries: {},
      chart: { enabled: true, lookbackMs: 1_800_000 },
    });
  });

  it('signals.chart: on by default with 30m before open; can be turned off or look back longer', () => {
    const r = load({ signals: { prometheus: { url: 'http://p:9090' }, chart: { enabled: false, lookback: '2h' } } });
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.config.signals?.chart).toEqual({ enabled: false, lookbackMs: 7_200_000 });
    const bad = load({ signals: { prometheus: { url: 'http://p:9090' }, chart: { lookback: '10s', colour: 'red' } } });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors.join('\n')).toContain('signals.chart.lookback');
    expect(bad.errors.join('\n')).toContain('signals.chart: Unrecognized key: "colour"');
  });

  it('keeps per-service overrides by service', () => {
    const r = load({
      signals: { prometheus: { url: 'http://p:9090', timeout: '2s' }, reevaluate_every: '30s', queries: { error_rate: 'vector(1)' } },
      services: [{ name: 'checkout', signals: { error_rate: 'vector(2)' } }, { name: 'search' }],
    });
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.config.signals).toMatchObject({
      prometheus: { timeoutMs: 2_000 },
      reevaluateEveryMs: 30_000,
      queries: { error_rate: 'vector(1)' },
      serviceQueries: { checkout: { error_rate: 'vector(2)' } },
    });
  });

  it('names every bad key', () => {
    const r = load(
      {
        signals: {
          prometheus: { url: 'not a url', timeout: 'soon', tls: true },
          reevaluate_every: '10ms',
          queries: { 'Error-Rate': 'x', empty: '' },
        },
        recovery: { hold_for: 'long' },
        services: [{ name: 'checkout', signals: { p95_ms: 3 } }],
      },
      { PROMETHEUS_URL: 'nope' },
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = r.errors.join('\n');
    for (const key of [
      'env PROMETHEUS_URL',
      'signals.prometheus.url',
      'signals.prometheus.timeout',
      'signals.prometheus: Unrecognized key: "tls"',
      'signals.reevaluate_every',
      'signals.queries.Error-Rate',
      'signals.queries.empty',
      'recovery.hold_for',
      'services[0].signals.p95_ms',
    ]) {
      expect(text).toContain(key);
    }
  });
});

describe('verification by signal in the config', () => {
  const plan = (check: unknown) => ({ rollback: { runners: [{ kind: 'command', argv: ['true'] }], verification: [check] } });
  it('needs a signal source and a known signal name', () => {
    const none = load({ services: [{ name: 'checkout', ...plan({ kind: 'prometheus', signal: 'error_rate', below: 1, for: '1m' }) }] });
    expect(!none.ok && none.errors).toEqual([
      'config/default.yml: services[0].rollback.verification[0]: a prometheus check needs signals.prometheus.url (or PROMETHEUS_URL)',
    ]);
    const unknown = load(
      { services: [{ name: 'checkout', ...plan({ kind: 'prometheus', signal: 'latency', below: 1, for: '1m' }) }] },
      { PROMETHEUS_URL: 'http://p:9090' },
    );
    expect(!unknown.ok && unknown.errors[0]).toBe(
      'config/default.yml: services[0].rollback.verification[0].signal: "latency" is not a named signal (known: error_rate, p95_ms)',
    );
    const ok = load(
      {
        services: [
          { name: 'checkout', signals: { latency: 'vector(1)' }, ...plan({ kind: 'prometheus', signal: 'latency', below: 1, for: '1m' }) },
        ],
      },
      { PROMETHEUS_URL: 'http://p:9090' },
    );
    expect(ok.ok).toBe(true);
  });
});
