// Measures RedisTimerEngine lateness: 10,000 timers due over 20 s, one engine, real Redis.
// Run: npx tsx bench/timers-lateness.ts   (REDIS_URL, TIMERS, SPAN_MS, POLL_MS override the defaults)
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { RedisTimerEngine } from '../src/adapters/outbound/timers/redis-timer-engine';
import { deleteKeys } from '../tests/support/test-redis';

const TIMERS = Number(process.env.TIMERS ?? 10_000);
const SPAN_MS = Number(process.env.SPAN_MS ?? 20_000);
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = `ibbench:timers:${randomUUID().slice(0, 8)}:`;
const engine = new RedisTimerEngine({
  redis,
  prefix,
  logger: pino({ level: 'warn' }),
  pollMs: Number(process.env.POLL_MS ?? 500),
  concurrency: 64,
});

const fired = new Map<string, number[]>();
const start = Date.now() + 5_000; // scheduling 10k keys takes a moment; none is due before it ends
const t0 = Date.now();
for (let i = 0; i < TIMERS; i += 500) {
  await Promise.all(
    Array.from({ length: Math.min(500, TIMERS - i) }, (_, j) =>
      engine.schedule({ key: `bench:${i + j}`, kind: 'tick', dueAt: start + Math.floor(((i + j) * SPAN_MS) / TIMERS), payload: {} }),
    ),
  );
}
console.log(`scheduled ${TIMERS} in ${Date.now() - t0} ms; Redis hz ${((await redis.config('GET', 'hz')) as string[])[1]}`);

engine.start({
  tick: async (timer) => {
    const lateness = Date.now() - timer.dueAt;
    const seen = fired.get(timer.key);
    if (seen) seen.push(lateness);
    else fired.set(timer.key, [lateness]);
  },
});

const deadline = start + SPAN_MS + 10_000;
while (Date.now() < deadline && fired.size < TIMERS) await new Promise((r) => setTimeout(r, 100));
await new Promise((r) => setTimeout(r, 1_000));
await engine.stop();

const first = [...fired.values()].map((l) => l[0]!).sort((a, b) => a - b);
const pct = (p: number) => first[Math.min(first.length - 1, Math.floor((p / 100) * first.length))];
const duplicates = [...fired.values()].reduce((n, l) => n + l.length - 1, 0);
const early = first.filter((l) => l < 0).length;
console.log(
  `timers ${TIMERS} over ${SPAN_MS} ms: lateness p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${first.at(-1)} ms; lost ${TIMERS - fired.size}, duplicates ${duplicates}, early ${early}`,
);

// Baseline in the same run: the same schedule on Node's own setTimeout in this process (no
// Redis, no durability) — the lateness floor the event loop gives any in-process scheduler.
const baseline: number[] = [];
const bStart = Date.now() + 1_000;
await new Promise<void>((resolve) => {
  let done = 0;
  for (let i = 0; i < TIMERS; i += 1) {
    const due = bStart + Math.floor((i * SPAN_MS) / TIMERS);
    setTimeout(() => {
      baseline.push(Date.now() - due);
      if (++done === TIMERS) resolve();
    }, due - Date.now());
  }
});
baseline.sort((a, b) => a - b);
const bp = (p: number) => baseline[Math.min(baseline.length - 1, Math.floor((p / 100) * baseline.length))];
console.log(`baseline setTimeout (same run): lateness p50 ${bp(50)} ms, p99 ${bp(99)} ms, max ${baseline.at(-1)} ms`);
await deleteKeys(redis, prefix);
redis.disconnect();
