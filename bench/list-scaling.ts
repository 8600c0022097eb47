// Benchmark — does `/incident list` cost more with more incidents open? One bot, in one run, at
// 10, 100 and 1,000 open incidents: signed `/incident list` at c=10 against the bot and against
// a bare Bolt app that only acks (measured at each point, so both see the same machine load).
// Reports req/s, p50, p99, the ratio to bare Bolt, the throughput drop from 10 to 1,000 open and
// the bot's RSS with 1,000 open.
// Incidents are seeded straight into Redis through the store (the bot's own create script, so
// both indexes are kept), already "announced" so the bot's sweeps post nothing meanwhile; the
// path that opens, announces and plans timers for 1,000 incidents is bench/memory.ts.
// Run: npx tsx bench/list-scaling.ts   (DURATION=3 REPS=2 override)
// Targets: p99 ≤ 50 ms at c=10; throughput at 1,000 open ≥ ½ of that at 10; RSS ≤ 200 MB.
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { RedisIncidentStore } from '../src/adapters/outbound/redis/redis-incident-store';
import { createIncident } from '../src/domain/incident';
import { SEVERITIES } from '../src/domain/severity';
import { freePort, startChild, type Child } from '../tests/support/processes';
import { REDIS_URL, benchPrefix, botEnv, cleanupPrefix, signedCommand } from './support/bench-env';
import { startSlackStandInProcess } from './support/slack-stand-in-client';
import { median, spread } from './support/stats';

const DURATION = Number(process.env.DURATION ?? 3);
const REPS = Number(process.env.REPS ?? 2);
const POINTS = [10, 100, 1000];

interface Run {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function load(child: Child, responseUrl: string): Promise<Run> {
  const result = await autocannon({
    url: `http://127.0.0.1:${child.port}`,
    connections: 10,
    duration: DURATION,
    requests: [signedCommand('list', responseUrl)],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
  };
}

const slack = await startSlackStandInProcess();
const prefix = benchPrefix('list-scaling');
const redis = new Redis(REDIS_URL);
const store = new RedisIncidentStore(redis, prefix);
let seeded = 0;
/** Opens incidents up to `count`, severities mixed, a minute apart, each already announced. */
async function seedTo(count: number): Promise<void> {
  const start = Date.now() - 2 * 86_400_000;
  for (; seeded < count; seeded += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, count - seeded) }, (_, j) => {
        const n = seeded + j;
        const built = createIncident(
          '',
          { title: `bench incident ${n}`, severity: SEVERITIES[n % 4]!, openedBy: 'U0BENCH' },
          start + n * 60_000,
        );
        return store.create({ ...built, incident: { ...built.incident, announcement: { channel: 'C0INCIDENTS', ts: `1700000000.${n}` } } });
      }),
    );
  }
  seeded = count;
}

await seedTo(POINTS[0]!);
const bot = await startChild(
  'tests/support/bot-process.ts',
  botEnv({ slackApiUrl: slack.apiUrl, prefix, port: await freePort(), file: { services: [{ name: 'checkout' }] } }),
  90_000, // a loaded machine starts slowly
);
const bare = await startChild(
  'bench/support/bare-bolt.ts',
  { SLACK_SIGNING_SECRET: 'test-signing-secret-0123456789', PORT: String(await freePort()) },
  90_000,
);
const responseUrl = `${slack.url}respond/bench`;

const results: { open: number; bare: Run[]; bot: Run[]; rss: number; bareRss: number; shows: string }[] = [];
for (const open of POINTS) {
  await seedTo(open);
  // What a person would see at this point: the heading with the count (one request, checked).
  const answer = (await (
    await fetch(`http://127.0.0.1:${bot.port}/slack/events`, {
      method: 'POST',
      headers: signedCommand('list', responseUrl).headers,
      body: signedCommand('list', responseUrl).body,
    })
  ).json()) as { text?: string; blocks?: unknown[] };
  const shows = `${answer.text} (${(answer.blocks ?? []).length} blocks)`;
  await load(bot, responseUrl); // warm-up, not counted
  const point = { open, bare: [] as Run[], bot: [] as Run[], rss: 0, bareRss: 0, shows };
  for (let rep = 0; rep < REPS; rep++) {
    point.bare.push(await load(bare, responseUrl));
    point.bot.push(await load(bot, responseUrl));
  }
  point.rss = bot.rssMb();
  point.bareRss = bare.rssMb();
  results.push(point);
}

const load1 = (await import('node:os')).loadavg();
console.log(
  `\n/incident list vs open incidents — c=10, ${REPS} × ${DURATION} s per server per point, median (min–max); load average ${load1.map((l) => l.toFixed(1)).join(' ')}\n`,
);
console.log('| open | bot answers | bare req/s | bot req/s | bot / bare | bot p50 ms | bot p99 ms | bot RSS MB | bare RSS MB | errors |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of results) {
  console.log(
    `| ${r.open} | ${r.shows} | ${spread(
      r.bare.map((x) => x.rps),
      0,
    )} | ${spread(
      r.bot.map((x) => x.rps),
      0,
    )} | ${(median(r.bot.map((x) => x.rps)) / median(r.bare.map((x) => x.rps))).toFixed(2)}× | ${spread(r.bot.map((x) => x.p50))} | ${spread(r.bot.map((x) => x.p99))} | ${r.rss.toFixed(0)} | ${r.bareRss.toFixed(0)} | ${r.bot.reduce((a, x) => a + x.errors, 0)} |`,
  );
}
const at = (n: number) => results.find((r) => r.open === n)!;
const drop = median(at(10).bot.map((x) => x.rps)) / median(at(1000).bot.map((x) => x.rps));
const worstP99 = Math.max(...results.map((r) => median(r.bot.map((x) => x.p99))));
console.log(`\nthroughput 10 → 1,000 open: ${drop.toFixed(2)}× drop (target ≤ 2×)`);
console.log(`p99 at c=10, worst point: ${worstP99} ms (target ≤ 50)`);
console.log(`bot RSS with 1,000 open: ${at(1000).rss.toFixed(0)} MB (target ≤ 200)`);

await bot.stop();
await bare.stop();
await slack.stop();
redis.disconnect();
await cleanupPrefix(prefix);
process.exit(0);
