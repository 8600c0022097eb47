// Benchmark 2 — alert ingest: Alertmanager v4 bodies (5 alerts each, half of them repeats)
// against the bot and against a floor server that only parses with the same zod schema,
// fingerprints and does one SET NX per alert, in the same run.
// Run: npx tsx bench/ingest.ts   (DURATION=5 REPS=3 CONNECTIONS=20 GROUPS=50 override)
// SIGNALS=1: the same with live signals configured (a real Prometheus on loopback scraping a
// local exporter); also prints the signal read time at open from the bot's /metrics.
// Targets: ≥ 5,000 alerts/s and ≥ 0.45× the floor; zero lost, zero duplicate incidents.
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { ALERT_TOKEN, REDIS_URL, alertmanagerBody, benchPrefix, botEnv, cleanupPrefix } from './support/bench-env';
import { freePort, startChild, type Child } from '../tests/support/processes';
import { startSlackStandInProcess } from './support/slack-stand-in-client';
import { median, spread } from './support/stats';
import { PrometheusHarness, TestExporter, TEST_QUERIES } from '../tests/support/prometheus-harness';

const DURATION = Number(process.env.DURATION ?? 5);
const REPS = Number(process.env.REPS ?? 3);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 20);
const GROUPS = Number(process.env.GROUPS ?? 50);

/**
 * Each request: 5 alerts of one group; alerts 0–2 repeat the previous request's 2–4 ("half
 * repeats"). `answered` holds the alerts of deliveries the bot answered 2xx: those must all
 * be counted. (Requests still in flight when autocannon stops got no answer; a real sender
 * would retry them.)
 */
function requestFactory(run: number) {
  let n = 0;
  const answered = new Map<string, Set<string>>();
  return {
    answered,
    request: {
      method: 'POST',
      path: '/alerts/alertmanager',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERT_TOKEN}` },
      setupRequest: (req: object, context: Record<string, unknown>) => {
        const group = n % GROUPS;
        const first = Math.floor(n / GROUPS) * 3;
        n += 1;
        context.group = String(group + run * 1000);
        context.fingerprints = Array.from({ length: 5 }, (_, i) => `fp-${group + run * 1000}-${first + i}`);
        return { ...req, body: alertmanagerBody(group + run * 1000, first, 5) };
      },
      onResponse: (status: number, _body: string, context: Record<string, unknown>) => {
        if (status < 200 || status >= 300) return;
        const set = answered.get(context.group as string) ?? new Set<string>();
        for (const fp of context.fingerprints as string[]) set.add(fp);
        answered.set(context.group as string, set);
      },
    },
  };
}

async function drive(child: Child, run: number) {
  const factory = requestFactory(run);
  const result = await autocannon({
    url: `http://127.0.0.1:${child.port}`,
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [factory.request],
  });
  const distinct = [...factory.answered.values()].reduce((a, s) => a + s.size, 0);
  return {
    alertsPerSecond: result.requests.average * 5,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    distinct,
    groups: factory.answered.size,
    requests: result.requests.average * DURATION,
  };
}

const slack = await startSlackStandInProcess();
const botPrefix = benchPrefix('ingest-bot');
const floorPrefix = benchPrefix('ingest-floor');
const INTAKE = Number(process.env.INTAKE_CONCURRENCY ?? 0);
// Per-group ingest cost: storm correlation off, or 50 new groups would become one storm
// (storms have their own bench, bench/storm.ts).
const alerts = { correlate: false as const, ...(INTAKE ? { max_concurrent_intake: INTAKE } : {}) };
const SIGNALS = process.env.SIGNALS === '1';
let exporter: TestExporter | undefined;
let prometheus: PrometheusHarness | undefined;
if (SIGNALS) {
  exporter = await new TestExporter().start();
  exporter.traffic('checkout', { requestsPerSecond: 100, errorPercent: 12, latencySeconds: 0.03 });
  prometheus = await new PrometheusHarness({ targets: [exporter.url] }).start();
  await prometheus.waitFor('sum(rate(http_requests_total{service="checkout"}[5s]))', (v) => v > 0, 'traffic visible');
}
const signals = SIGNALS ? { signals: { prometheus: { url: prometheus!.url }, queries: TEST_QUERIES } } : {};
const bot = await startChild(
  'tests/support/bot-process.ts',
  botEnv({
    slackApiUrl: slack.apiUrl,
    prefix: botPrefix,
    port: await freePort(),
    file: { services: [{ name: 'checkout' }], alerts, ...signals },
  }),
);
const floor = await startChild('bench/support/floor-ingest.ts', { REDIS_URL, REDIS_PREFIX: floorPrefix, PORT: String(await freePort()) });
const redis = new Redis(REDIS_URL);

const floorRuns: number[] = [];
const botRuns: number[] = [];
const botP99: number[] = [];
const problems: string[] = [];
for (let rep = 0; rep < REPS; rep += 1) {
  floorRuns.push((await drive(floor, rep)).alertsPerSecond);
  const run = await drive(bot, rep);
  botRuns.push(run.alertsPerSecond);
  botP99.push(run.p99);
  if (run.non2xx) problems.push(`run ${rep}: ${run.non2xx} non-2xx answers`);
  // Zero lost, zero duplicates: every group is one incident and counts every distinct alert.
  const incidents = (await (
    await fetch(`http://127.0.0.1:${bot.port}/api/incidents?limit=500`, { headers: { authorization: 'Bearer bench-api-token' } })
  ).json()) as { incidents: { id: string; title: string; alerts?: { total: number } }[] };
  const ofRun = incidents.incidents.filter((i) => Math.floor(Number(/group (\d+)$/.exec(i.title)?.[1] ?? -1) / 1000) === rep);
  const total = ofRun.reduce((a, i) => a + (i.alerts?.total ?? 0), 0);
  if (ofRun.length !== run.groups) problems.push(`run ${rep}: ${ofRun.length} incidents for ${run.groups} groups`);
  // Every alert of an answered delivery is counted; alerts of unanswered in-flight requests may be too.
  if (total < run.distinct) problems.push(`run ${rep}: ${total} alerts counted of ${run.distinct} distinct alerts answered 2xx (lost)`);
  console.log(
    `run ${rep}: floor ${floorRuns.at(-1)!.toFixed(0)} alerts/s, bot ${run.alertsPerSecond.toFixed(0)} alerts/s (p99 ${run.p99} ms), ${ofRun.length} incidents / ${run.groups} groups, ${total} counted ≥ ${run.distinct} answered distinct alerts`,
  );
}

console.log(
  `\ningest — intake concurrency ${INTAKE || 'default'} — ${REPS} runs of ${DURATION} s at ${CONNECTIONS} connections, median (min–max)`,
);
console.log(
  `| server | alerts/s | p99 ms |\n|---|---|---|\n| floor (zod + SET NX) | ${spread(floorRuns, 0)} | |\n| bot | ${spread(botRuns, 0)} | ${spread(botP99, 0)} |`,
);
// Each run pairs a floor measurement with the bot's right after it: the median of those paired
// ratios is steadier than a ratio of medians when the shared machine's speed drifts between runs.
const paired = botRuns.map((b, i) => b / floorRuns[i]!);
console.log(
  `ratio bot/floor ${(median(botRuns) / median(floorRuns)).toFixed(2)}× of medians, ${spread(paired, 2)} median (min–max) of paired runs (target ≥ 0.45); bot ${median(botRuns).toFixed(0)} alerts/s (target ≥ 5,000)`,
);
if (SIGNALS) {
  // Reads at open run after the 202 (off the acknowledgement path); their time is what the
  // announcement's live values wait for beyond the announcement itself.
  const metrics = await (await fetch(`http://127.0.0.1:${bot.port}/metrics`)).text();
  const read = (name: string) => Number(new RegExp(`^${name} ([\\d.e+-]+)$`, 'm').exec(metrics)?.[1] ?? NaN);
  const count = read('incident_bot_signal_read_seconds_count');
  const sum = read('incident_bot_signal_read_seconds_sum');
  const buckets = [...metrics.matchAll(/^incident_bot_signal_read_seconds_bucket\{le="([^"]+)"\} (\d+)$/gm)].map((m) => ({
    le: m[1]!,
    n: Number(m[2]),
  }));
  const p = (q: number) => buckets.find((b) => b.n >= q * count)?.le ?? '?';
  console.log(
    `signal reads at open: ${count} (one per incident; cached per service), mean ${((sum / count) * 1000).toFixed(1)} ms, p50 ≤ ${p(0.5)} s, p99 ≤ ${p(0.99)} s`,
  );
  const queries = await (await fetch(`${prometheus!.url}/metrics`)).text();
  console.log(
    `Prometheus answered ${/^prometheus_http_requests_total\{code="200",handler="\/api\/v1\/query"\} (\d+)$/m.exec(queries)?.[1] ?? '?'} instant queries for ${botRuns.length} runs`,
  );
}
console.log(problems.length ? `PROBLEMS:\n${problems.join('\n')}` : 'zero lost, zero duplicate incidents');

redis.disconnect();
await bot.stop();
await floor.stop();
await slack.stop();
await prometheus?.cleanup();
await exporter?.stop();
await cleanupPrefix(botPrefix);
await cleanupPrefix(floorPrefix);
process.exit(problems.length ? 1 : 0);
