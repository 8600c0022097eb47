import { z } from 'zod';
import { parseDuration } from '../domain/duration';

/** "5s" → ms, naming a bad value (the file schema's own copy would import in a cycle). */
const duration = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === null || ms <= 0) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration (use e.g. 5s, 1m)` });
    return z.NEVER;
  }
  return ms;
});

/**
 * The named signals used when `signals.queries` is not given: the common Prometheus
 * conventions (`http_requests_total` with a `code` label, `http_request_duration_seconds`
 * histogram), in the classifier's units (percent, milliseconds). `or vector(0)` makes a
 * service with traffic but no 5xx series read 0 % instead of "no data"; a service with
 * no traffic at all still reads "no data".
 */
export const DEFAULT_SIGNAL_QUERIES: Record<string, string> = {
  error_rate:
    '100 * (sum(rate(http_requests_total{service="{service}",code=~"5.."}[5m])) or vector(0)) / sum(rate(http_requests_total{service="{service}"}[5m]))',
  p95_ms: '1000 * histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{service="{service}"}[5m])))',
};

const signalName = z.string().regex(/^[a-z][a-z0-9_]*$/, 'signal names are lower-case letters, digits and _ (e.g. error_rate)');
/** `name: PromQL`, with `{service}` replaced (escaped) per incident. */
export const signalQueriesSchema = z.record(signalName, z.string().trim().min(1, 'a query must not be empty'));

const DEFAULTS = { timeout: 5_000, reevaluate_every: 60_000, cache_for: 5_000 };
const CHART_DEFAULTS = { enabled: true, lookback: 30 * 60_000 };

/** `signals.chart`: a PNG of the incident's signals at open and at resolve (docs/signals.md, "Chart"). */
const chartSchema = z
  .strictObject({
    enabled: z.boolean().default(CHART_DEFAULTS.enabled),
    lookback: duration.refine((ms) => ms >= 60_000 && ms <= 24 * 3_600_000, 'must be between 1m and 24h').default(CHART_DEFAULTS.lookback),
  })
  .default(CHART_DEFAULTS);

/** `signals:`: where live signals come from and how often an open incident is re-read. */
export const signalsSchema = z
  .strictObject({
    prometheus: z
      .strictObject({
        // PROMETHEUS_URL overrides it; without either, live signals are off.
        url: z.string().trim().url('must be a URL like http://127.0.0.1:9090').optional(),
        timeout: duration.refine((ms) => ms >= 100 && ms <= 60_000, 'must be between 100ms and 60s').default(DEFAULTS.timeout),
      })
      .default({ timeout: DEFAULTS.timeout }),
    reevaluate_every: duration.refine((ms) => ms >= 1_000, 'must be at least 1s').default(DEFAULTS.reevaluate_every),
    // Reads per service are shared this long, so an alert storm costs one query per signal.
    cache_for: duration.refine((ms) => ms <= 60_000, 'must be at most 60s').default(DEFAULTS.cache_for),
    queries: signalQueriesSchema.default(DEFAULT_SIGNAL_QUERIES),
    chart: chartSchema,
  })
  .default({
    prometheus: { timeout: DEFAULTS.timeout },
    reevaluate_every: DEFAULTS.reevaluate_every,
    cache_for: DEFAULTS.cache_for,
    queries: DEFAULT_SIGNAL_QUERIES,
    chart: CHART_DEFAULTS,
  });

/** `recovery:`: gate 3 met by evidence (alerts resolved, signals under every rule this long). */
export const recoverySchema = z.strictObject({ hold_for: duration.default(5 * 60_000) }).default({ hold_for: 5 * 60_000 });

export interface SignalsConfig {
  prometheus: { url: string; token?: string; timeoutMs: number };
  reevaluateEveryMs: number;
  cacheMs: number;
  queries: Record<string, string>;
  /** services[].signals, by service name. */
  serviceQueries: Record<string, Record<string, string>>;
  /** The PNG chart posted at open and at resolve. */
  chart: { enabled: boolean; lookbackMs: number };
}

/** Live signals are on when a URL is given in the file or in PROMETHEUS_URL (which wins). */
export function resolveSignalsConfig(
  file: { signals: z.output<typeof signalsSchema>; services: { name: string; signals?: Record<string, string> }[] },
  env: { PROMETHEUS_URL?: string; PROMETHEUS_TOKEN?: string },
): SignalsConfig | null {
  const url = env.PROMETHEUS_URL ?? file.signals.prometheus.url;
  if (!url) return null;
  return {
    prometheus: { url, ...(env.PROMETHEUS_TOKEN ? { token: env.PROMETHEUS_TOKEN } : {}), timeoutMs: file.signals.prometheus.timeout },
    reevaluateEveryMs: file.signals.reevaluate_every,
    cacheMs: file.signals.cache_for,
    queries: file.signals.queries,
    chart: { enabled: file.signals.chart.enabled, lookbackMs: file.signals.chart.lookback },
    serviceQueries: Object.fromEntries(
      file.services.filter((s) => s.signals && Object.keys(s.signals).length).map((s) => [s.name, s.signals!]),
    ),
  };
}
