import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './processes';

export const PROMETHEUS_BINARY = '/usr/bin/prometheus';
export const prometheusPresent = existsSync(PROMETHEUS_BINARY);
export const SKIP_REASON = `skipped: ${PROMETHEUS_BINARY} is not installed; apt-get install prometheus`;

/** Latency buckets (seconds) of the exporter's histogram. */
const BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** What one service's traffic looks like right now; the exporter turns it into counters. */
export interface Traffic {
  requestsPerSecond: number;
  /** 0..100 */
  errorPercent: number;
  /** Every request takes this long (lands in one histogram bucket). */
  latencySeconds: number;
}

interface ServiceCounters {
  traffic: Traffic;
  ok: number;
  errors: number;
  buckets: number[];
  sum: number;
  count: number;
}

/**
 * A small exporter in Prometheus text format: per service, `http_requests_total{service,code}`
 * and `http_request_duration_seconds` (histogram). Counters advance with wall time at the
 * rate the test sets, so `rate(...[5s])` shows what the test asked for.
 */
export class TestExporter {
  private server?: Server;
  private readonly services = new Map<string, ServiceCounters>();
  private last = Date.now();
  private readonly gauges = new Map<string, number>();
  /** Services changed through POST /traffic (what a rollback runner did). */
  readonly changes: string[] = [];
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      // POST /traffic/<service> {errorPercent?, requestsPerSecond?, latencySeconds?, answerAfterMs?}: a deploy hook
      // for rollback tests; it answers once the change has settled (answerAfterMs).
      const control = /^\/traffic\/([\w-]+)$/.exec(req.url ?? '');
      if (req.method === 'POST' && control) {
        let body = '';
        req.on('data', (d) => (body += String(d)));
        req.on('end', () => {
          const change = JSON.parse(body || '{}') as Partial<Traffic> & { answerAfterMs?: number };
          const current = this.services.get(control[1]!)?.traffic ?? { requestsPerSecond: 0, errorPercent: 0, latencySeconds: 0.01 };
          const { answerAfterMs = 0, ...traffic } = change;
          this.traffic(control[1]!, { ...current, ...traffic });
          this.changes.push(control[1]!);
          setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'), answerAfterMs);
        });
        return;
      }
      if (req.url !== '/metrics') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(this.render());
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Sets a service's traffic from now on (counters keep their totals, as real ones do). */
  traffic(service: string, traffic: Traffic): void {
    this.advance();
    const existing = this.services.get(service);
    if (existing) existing.traffic = traffic;
    else this.services.set(service, { traffic, ok: 0, errors: 0, buckets: BUCKETS.map(() => 0), sum: 0, count: 0 });
  }

  /** A plain gauge, `name{labels} value` (labels written as given, e.g. `service="checkout"`). */
  gauge(series: string, value: number): void {
    this.gauges.set(series, value);
  }

  private advance(): void {
    const now = Date.now();
    const elapsed = (now - this.last) / 1000;
    this.last = now;
    for (const c of this.services.values()) {
      const n = c.traffic.requestsPerSecond * elapsed;
      const errors = (n * c.traffic.errorPercent) / 100;
      c.errors += errors;
      c.ok += n - errors;
      c.count += n;
      c.sum += n * c.traffic.latencySeconds;
      BUCKETS.forEach((le, i) => {
        if (c.traffic.latencySeconds <= le) c.buckets[i]! += n;
      });
    }
  }

  private render(): string {
    this.advance();
    const lines = ['# TYPE http_requests_total counter'];
    for (const [service, c] of this.services) {
      lines.push(
        `http_requests_total{service="${service}",code="200"} ${c.ok}`,
        `http_requests_total{service="${service}",code="500"} ${c.errors}`,
      );
    }
    lines.push('# TYPE http_request_duration_seconds histogram');
    for (const [service, c] of this.services) {
      BUCKETS.forEach((le, i) => {
        lines.push(`http_request_duration_seconds_bucket{service="${service}",le="${le}"} ${c.buckets[i]}`);
      });
      lines.push(`http_request_duration_seconds_bucket{service="${service}",le="+Inf"} ${c.count}`);
      lines.push(
        `http_request_duration_seconds_sum{service="${service}"} ${c.sum}`,
        `http_request_duration_seconds_count{service="${service}"} ${c.count}`,
      );
    }
    for (const [series, value] of this.gauges) lines.push(`${series} ${value}`);
    return `${lines.join('\n')}\n`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => (this.server ? this.server.close(resolve) : resolve(undefined)));
  }
}

/** Test queries: the default shapes with 5 s rate windows, so a change shows within seconds. */
export const TEST_QUERIES = {
  error_rate:
    '100 * (sum(rate(http_requests_total{service="{service}",code=~"5.."}[5s])) or vector(0)) / sum(rate(http_requests_total{service="{service}"}[5s]))',
  p95_ms: '1000 * histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{service="{service}"}[5s])))',
};

export interface PrometheusOptions {
  /** host:port targets scraped every second. */
  targets: string[];
  /** Alerting rules file content (YAML), evaluated every second. */
  rules?: string;
  /** host:port of an Alertmanager to send alerts to. */
  alertmanager?: string;
  /** A port chosen beforehand (when the bot must know the URL before Prometheus starts). */
  port?: number;
}

/** A real Prometheus on a free loopback port with its own temporary storage. */
export class PrometheusHarness {
  private child?: ChildProcess;
  private dir = '';
  private readonly output: string[] = [];
  url = '';
  port = 0;

  constructor(private readonly options: PrometheusOptions) {}

  async start(): Promise<this> {
    this.dir = mkdtempSync(join(tmpdir(), 'ib-prometheus-'));
    const config = [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      ...(this.options.rules ? ['rule_files:', `  - ${join(this.dir, 'rules.yml')}`] : []),
      ...(this.options.alertmanager
        ? ['alerting:', '  alertmanagers:', '    - static_configs:', `        - targets: ['${this.options.alertmanager}']`]
        : []),
      'scrape_configs:',
      '  - job_name: test',
      '    static_configs:',
      `      - targets: [${this.options.targets.map((t) => `'${t}'`).join(', ')}]`,
      '',
    ].join('\n');
    writeFileSync(join(this.dir, 'prometheus.yml'), config);
    if (this.options.rules) writeFileSync(join(this.dir, 'rules.yml'), this.options.rules);
    await this.launch(this.options.port ?? (await freePort()));
    return this;
  }

  /** Starts again on the same port and storage (after stop(): "Prometheus came back"). */
  async restart(): Promise<void> {
    await this.launch(this.port);
  }

  private async launch(port: number): Promise<void> {
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
    const child = spawn(
      PROMETHEUS_BINARY,
      [
        `--config.file=${join(this.dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(this.dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    child.stdout!.on('data', (d) => this.output.push(String(d)));
    child.stderr!.on('data', (d) => this.output.push(String(d)));
    await poll(
      async () => (await fetch(`${this.url}/-/ready`).catch(() => null))?.ok,
      () => `Prometheus ready on ${this.url} (${this.output.join('').slice(-800)})`,
      30_000,
      () => child.exitCode !== null,
    );
  }

  /** Instant query value (first series), or null for an empty result. */
  async value(query: string): Promise<number | null> {
    const res = await fetch(`${this.url}/api/v1/query?${new URLSearchParams({ query })}`);
    const body = (await res.json()) as { data?: { result?: { value: [number, string] }[] } };
    const first = body.data?.result?.[0];
    return first ? Number(first.value[1]) : null;
  }

  /** Waits until the query's value satisfies `ok` (scrapes and rate windows take a few seconds). */
  async waitFor(query: string, ok: (value: number) => boolean, what: string, timeoutMs = 30_000): Promise<number> {
    let last: number | null = null;
    await poll(
      async () => {
        last = await this.value(query).catch(() => null);
        return last !== null && ok(last);
      },
      () => `${what} (last value of ${query}: ${last})`,
      timeoutMs,
    );
    return last!;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGTERM');
    await new Promise((resolve) => {
      const t = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(undefined);
      }, 10_000);
      child.once('exit', () => {
        clearTimeout(t);
        resolve(undefined);
      });
    });
  }

  async cleanup(): Promise<void> {
    await this.stop();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

async function poll(
  check: () => Promise<unknown>,
  what: () => string,
  timeoutMs: number,
  gaveUp: () => boolean = () => false,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (gaveUp() || Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
