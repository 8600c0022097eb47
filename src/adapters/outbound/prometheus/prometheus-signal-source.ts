import type { SignalSource } from '../../../app/ports/signal-source';
import type { Logger } from '../../../logger';
import { expandSignalQuery } from '../../../domain/signals/escape-promql';
import {
  snapshotOf,
  type SignalReading,
  type SignalRef,
  type SignalSeries,
  type SignalSnapshot,
} from '../../../domain/signals/signal-reading';

export interface PrometheusOptions {
  /** Base URL of any Prometheus-compatible query API (Prometheus, Thanos, Mimir, VictoriaMetrics). */
  url: string;
  /** PROMETHEUS_TOKEN, sent as a bearer token. */
  token?: string;
  timeoutMs: number;
  /** Per-service reads are shared this long, so an alert storm costs one query per signal. */
  cacheMs: number;
  /** Named signals: PromQL with `{service}`. */
  queries: Record<string, string>;
  /** Per-service overrides of (or additions to) the named signals. */
  serviceQueries: Record<string, Record<string, string>>;
  log: Logger;
  now?: () => number;
}

type Answer<T> = { ok: true; data: T } | { ok: false; reason: string; parse?: boolean };
type Sample = [number, string];
type QueryData =
  | { resultType: 'vector'; result: { value: Sample }[] }
  | { resultType: 'scalar'; result: Sample }
  | { resultType: 'matrix'; result: { values: Sample[] }[] }
  | { resultType: 'string'; result: Sample };

// The service name used when the shared queries are tried at start: any label value will do.
const CHECK_SERVICE = 'incident-bot-check';

/**
 * The signal source over Prometheus's HTTP API (`/api/v1/query`, `/api/v1/query_range`).
 * A query that returns several series is read as its highest value (the worst case is
 * what thresholds are about); an empty result, NaN or ±Inf is "no data".
 */
export class PrometheusSignalSource implements SignalSource {
  readonly name = 'Prometheus';
  private readonly cache = new Map<string, { until: number; snapshot: Promise<SignalSnapshot> }>();
  private readonly now: () => number;

  constructor(private readonly options: PrometheusOptions) {
    this.now = options.now ?? Date.now;
  }

  signalNames(service: string): string[] {
    return Object.keys(this.queriesFor(service));
  }

  readSignals(service: string): Promise<SignalSnapshot> {
    const cached = this.cache.get(service);
    if (cached && cached.until > this.now()) return cached.snapshot;
    const entry = { until: Number.POSITIVE_INFINITY, snapshot: this.readAll(service) };
    this.cache.set(service, entry);
    // The entry lives cacheMs from when the answer came, and in-flight reads are shared.
    void entry.snapshot.finally(() => {
      entry.until = this.now() + this.options.cacheMs;
      if (this.cache.size > 1000) for (const [key, value] of this.cache) if (value.until <= this.now()) this.cache.delete(key);
    });
    return entry.snapshot;
  }

  private async readAll(service: string): Promise<SignalSnapshot> {
    const queries = this.queriesFor(service);
    const names = Object.keys(queries);
    const readings = await Promise.all(names.map((name) => this.instant(expandSignalQuery(queries[name]!, service))));
    const at = readings.find((r) => r.kind !== 'unavailable')?.at ?? this.now();
    return snapshotOf(this.name, at, Object.fromEntries(names.map((name, i) => [name, readings[i]!])));
  }

  async read(ref: SignalRef, service: string | null): Promise<SignalReading & { at: number }> {
    const query = this.resolve(ref, service);
    if (!query.ok) return { kind: 'unavailable', reason: query.reason, at: this.now() };
    return this.instant(query.data);
  }

  async readRange(
    ref: SignalRef,
    service: string | null,
    window: { startMs: number; endMs: number; stepMs: number },
  ): Promise<SignalSeries> {
    const query = this.resolve(ref, service);
    if (!query.ok) return { kind: 'unavailable', reason: query.reason };
    const answer = await this.call('/api/v1/query_range', {
      query: query.data,
      start: seconds(window.startMs),
      end: seconds(window.endMs),
      step: `${Math.max(1, Math.round(window.stepMs / 1000))}s`,
    });
    if (!answer.ok) return { kind: 'unavailable', reason: answer.reason };
    if (answer.data.resultType !== 'matrix')
      return { kind: 'unavailable', reason: `expected a range vector, got ${answer.data.resultType}` };
    const worst = new Map<number, number>();
    for (const series of answer.data.result) {
      for (const [t, text] of series.values) {
        const value = Number(text);
        if (!Number.isFinite(value)) continue;
        const at = Math.round(t * 1000);
        worst.set(at, Math.max(worst.get(at) ?? Number.NEGATIVE_INFINITY, value));
      }
    }
    return { kind: 'series', points: [...worst.entries()].sort((a, b) => a[0] - b[0]).map(([at, value]) => ({ at, value })) };
  }

  async selfCheck(): Promise<{ problems: string[]; unreachable: string | null }> {
    const tried: { where: string; query: string }[] = [
      ...Object.entries(this.options.queries).map(([name, q]) => ({
        where: `signals.queries.${name}`,
        query: expandSignalQuery(q, CHECK_SERVICE),
      })),
      ...Object.entries(this.options.serviceQueries).flatMap(([service, qs]) =>
        Object.entries(qs).map(([name, q]) => ({ where: `services[${service}].signals.${name}`, query: expandSignalQuery(q, service) })),
      ),
    ];
    const problems: string[] = [];
    for (const { where, query } of tried) {
      const answer = await this.call('/api/v1/query', { query });
      if (answer.ok) continue;
      if (!answer.parse) return { problems, unreachable: answer.reason };
      problems.push(`${where}: ${answer.reason}`);
    }
    return { problems, unreachable: null };
  }

  private queriesFor(service: string | null): Record<string, string> {
    return { ...this.options.queries, ...(service !== null ? (this.options.serviceQueries[service] ?? {}) : {}) };
  }

  private resolve(ref: SignalRef, service: string | null): Answer<string> {
    if ('query' in ref) return { ok: true, data: service !== null ? expandSignalQuery(ref.query, service) : ref.query };
    const template = this.queriesFor(service)[ref.signal];
    if (template === undefined)
      return { ok: false, reason: `no query is configured for signal "${ref.signal}"${service ? ` (service ${service})` : ''}` };
    if (service === null && template.includes('{service}')) return { ok: false, reason: `signal "${ref.signal}" needs a service` };
    return { ok: true, data: service !== null ? expandSignalQuery(template, service) : template };
  }

  private async instant(query: string): Promise<SignalReading & { at: number }> {
    const answer = await this.call('/api/v1/query', { query });
    if (!answer.ok) return { kind: 'unavailable', reason: answer.reason, at: this.now() };
    const samples: Sample[] =
      answer.data.resultType === 'vector'
        ? answer.data.result.map((r) => r.value)
        : answer.data.resultType === 'scalar'
          ? [answer.data.result]
          : [];
    if (answer.data.resultType === 'matrix' || answer.data.resultType === 'string')
      return { kind: 'unavailable', reason: `expected one number, got a ${answer.data.resultType}`, at: this.now() };
    const finite = samples.map(([t, v]) => ({ at: Math.round(t * 1000), value: Number(v) })).filter((s) => Number.isFinite(s.value));
    if (finite.length === 0) return { kind: 'no_data', at: samples[0] ? Math.round(samples[0][0] * 1000) : this.now() };
    const worst = finite.reduce((a, b) => (b.value > a.value ? b : a));
    return { kind: 'value', value: worst.value, at: worst.at };
  }

  /** One API call; every way it can fail becomes a reason a person can act on. */
  private async call(path: string, params: Record<string, string>): Promise<Answer<QueryData>> {
    const { url, token, timeoutMs } = this.options;
    const timeout = `${Math.max(1, Math.round(timeoutMs / 1000))}s`;
    const target = `${url.replace(/\/+$/, '')}${path}`;
    let response: Response;
    try {
      response = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: new URLSearchParams({ ...params, timeout }).toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const e = error as Error & { cause?: { code?: string } };
      if (e.name === 'TimeoutError' || e.name === 'AbortError')
        return { ok: false, reason: `no answer from ${this.name} within ${timeout}` };
      return { ok: false, reason: `cannot reach ${this.name} at ${url} (${e.cause?.code ?? e.message})` };
    }
    type Body = { status?: string; data?: QueryData; errorType?: string; error?: string };
    let body: Body | null = null;
    try {
      body = (await response.json()) as Body;
    } catch (error) {
      const e = error as Error;
      if (e.name === 'TimeoutError' || e.name === 'AbortError')
        return { ok: false, reason: `no answer from ${this.name} within ${timeout}` };
      body = null;
    }
    if (response.status === 401 || response.status === 403)
      return { ok: false, reason: `${this.name} refused the request (HTTP ${response.status}; check PROMETHEUS_TOKEN)` };
    if (body?.status === 'success' && body.data) return { ok: true, data: body.data };
    if (body?.status === 'error') {
      // bad_data: the expression does not parse or is invalid; the query's own fault, not the source's.
      const parse = body.errorType === 'bad_data';
      this.options.log.warn({ path, errorType: body.errorType, error: body.error }, 'Prometheus query failed');
      return { ok: false, reason: `query error (${body.errorType ?? response.status}): ${body.error ?? 'no detail'}`, parse };
    }
    return { ok: false, reason: `${this.name} answered HTTP ${response.status}` };
  }
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}
