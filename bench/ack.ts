// Benchmark 1 — acknowledgement: signed `/incident list` and a button click at concurrency
// 10 and 50, the bot against a bare Bolt app that only acks, in the same run; then the same
// while an alert storm (~2,000 alerts/s) hits /alerts/alertmanager.
// Also: `help` (answered inside the ack: the acknowledgement path alone) and a person's
// clicks at a human rate (20/s) during the storm.
// Run: npx tsx bench/ack.ts   (DURATION=5 REPS=3 STORM_RATE=400 INTAKE_CONCURRENCY=4 override)
// Targets: throughput ≥ 0.7× bare Bolt; bot ack p99 ≤ 50 ms during the storm.
import autocannon from 'autocannon';
import { ACTIONS } from '../src/adapters/outbound/slack/ids';
import { ALERT_TOKEN, alertmanagerBody, benchPrefix, botEnv, cleanupPrefix, signedClick, signedCommand } from './support/bench-env';
import { freePort, startChild, type Child } from '../tests/support/processes';
import { startSlackStandInProcess } from './support/slack-stand-in-client';
import { spread } from './support/stats';

const DURATION = Number(process.env.DURATION ?? 5);
const REPS = Number(process.env.REPS ?? 3);
const STORM_RATE = Number(process.env.STORM_RATE ?? 400); // requests/s × 5 alerts each

interface Run {
  rps: number;
  p50: number;
  p99: number;
  rss: number;
  errors: number;
}

async function load(child: Child, request: ReturnType<typeof signedCommand>, connections: number, rate?: number): Promise<Run> {
  const result = await autocannon({
    url: `http://127.0.0.1:${child.port}`,
    connections,
    duration: DURATION,
    requests: [request],
    ...(rate ? { overallRate: rate } : {}),
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    rss: child.rssMb(),
    errors: result.non2xx + result.errors + result.timeouts,
  };
}

function storm(port: number): { stop: () => Promise<{ alertsPerSecond: number; non2xx: number }> } {
  let group = 0;
  const instance = autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: 20,
    overallRate: STORM_RATE,
    duration: 3600,
    requests: [
      {
        method: 'POST',
        path: '/alerts/alertmanager',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERT_TOKEN}` },
        // 20 groups; each request 5 alerts, half of them repeats of the previous request's.
        setupRequest: (req) => ({ ...req, body: alertmanagerBody(group++ % 20, Math.floor(group / 2) * 3, 5) }),
      },
    ],
  });
  return {
    stop: () =>
      new Promise((resolve) => {
        instance.on('done', (r) => resolve({ alertsPerSecond: r.requests.average * 5, non2xx: r.non2xx }));
        instance.stop();
      }),
  };
}

const slack = await startSlackStandInProcess();
const prefix = benchPrefix('ack');
const INTAKE = Number(process.env.INTAKE_CONCURRENCY ?? 16);
const bot = await startChild(
  'tests/support/bot-process.ts',
  botEnv({
    slackApiUrl: slack.apiUrl,
    prefix,
    port: await freePort(),
    file: { services: [{ name: 'checkout' }], alerts: { max_concurrent_intake: INTAKE, max_queued_intake: 100_000, correlate: false } },
  }),
);
const bare = await startChild('bench/support/bare-bolt.ts', {
  SLACK_SIGNING_SECRET: 'test-signing-secret-0123456789',
  PORT: String(await freePort()),
});

// Something to list and click on: 20 open incidents, the first one already acknowledged.
for (let i = 0; i < 20; i += 1) {
  await fetch(`http://127.0.0.1:${bot.port}/alerts/generic`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERT_TOKEN}` },
    body: JSON.stringify({ dedup_key: `seed-${i}`, title: `seed incident ${i}`, signals: { error_rate: 5 + i } }),
  });
}
const incidents = (await (
  await fetch(`http://127.0.0.1:${bot.port}/api/incidents`, { headers: { authorization: 'Bearer bench-api-token' } })
).json()) as { incidents: { id: string }[] };
const target = incidents.incidents[0]!.id;
await autocannon({
  url: `http://127.0.0.1:${bot.port}`,
  connections: 1,
  amount: 1,
  requests: [signedClick(ACTIONS.acknowledge, target, `${slack.url}respond/bench`)],
});

const rows: string[] = [];
const results: Record<string, Run[]> = {};
const scenarios = [
  { name: 'help', request: () => signedCommand('help', `${slack.url}respond/bench`) },
  { name: 'list', request: () => signedCommand('list', `${slack.url}respond/bench`) },
  { name: 'click', request: () => signedClick(ACTIONS.acknowledge, target, `${slack.url}respond/bench`) },
];
for (const withStorm of [false, true]) {
  const running = withStorm ? storm(bot.port) : null;
  if (running) await new Promise((r) => setTimeout(r, 1000));
  for (const scenario of scenarios) {
    for (const connections of [10, 50]) {
      for (const [name, child] of [
        ['bare', bare],
        ['bot', bot],
      ] as const) {
        if (withStorm && name === 'bare') continue; // the storm only hits the bot
        const key = `${scenario.name} c${connections} ${name}${withStorm ? ' +storm' : ''}`;
        results[key] = [];
        for (let rep = 0; rep < REPS; rep += 1) results[key]!.push(await load(child, scenario.request(), connections));
      }
    }
  }
  if (running) {
    // A person's clicks at a human rate while the storm goes on: what the on-call feels.
    results['click human-rate (20/s) bot +storm'] = [];
    for (let rep = 0; rep < REPS; rep += 1)
      results['click human-rate (20/s) bot +storm']!.push(await load(bot, scenarios[2]!.request(), 2, 20));
    const s = await running.stop();
    rows.push(`storm delivered ${s.alertsPerSecond.toFixed(0)} alerts/s to the bot (${s.non2xx} non-2xx)`);
  }
}

console.log(`\nacknowledgement benchmark — ${REPS} runs of ${DURATION} s each, median (min–max)\n`);
console.log('| scenario | req/s | p50 ms | p99 ms | RSS MB | errors |');
console.log('|---|---|---|---|---|---|');
for (const [key, runs] of Object.entries(results)) {
  console.log(
    `| ${key} | ${spread(
      runs.map((r) => r.rps),
      0,
    )} | ${spread(runs.map((r) => r.p50))} | ${spread(runs.map((r) => r.p99))} | ${spread(
      runs.map((r) => r.rss),
      0,
    )} | ${runs.reduce((a, r) => a + r.errors, 0)} |`,
  );
}
console.log('');
for (const s of scenarios) {
  for (const c of [10, 50]) {
    if (!results[`${s.name} c${c} bot +storm`]) continue;
    const med = (k: string) => {
      const v = results[k]!.map((r) => r.rps).sort((a, b) => a - b);
      return v[Math.floor(v.length / 2)]!;
    };
    const p99 = (k: string) => {
      const v = results[k]!.map((r) => r.p99).sort((a, b) => a - b);
      return v[Math.floor(v.length / 2)]!;
    };
    console.log(
      `${s.name} c${c}: bot/bare throughput ${(med(`${s.name} c${c} bot`) / med(`${s.name} c${c} bare`)).toFixed(2)}× (target ≥ 0.70); during storm p99 ${p99(`${s.name} c${c} bot +storm`)} ms (target ≤ 50)`,
    );
  }
}
const human = results['click human-rate (20/s) bot +storm']!.map((r) => r.p99).sort((a, b) => a - b);
console.log(
  `a person's clicks (20/s) during the storm: p99 ${human[Math.floor(human.length / 2)]} ms (target ≤ 50); intake concurrency ${INTAKE}`,
);
for (const row of rows) console.log(row);

await bot.stop();
await bare.stop();
await slack.stop();
await cleanupPrefix(prefix);
process.exit(0);
