// Benchmark 4b — timers across kill -9: 10,000 timers due over 20 s on the Redis timer
// engine in a worker process (tests/fixtures/timers/worker.ts, effects guarded by runOnce);
// the worker is SIGKILLed mid-way and restarted. Reports lost, duplicates, lateness, and how
// long after the restart the killed worker's due timers fired.
// Run: npx tsx bench/timers-kill.ts   (TIMERS=10000 SPAN_MS=20000 KILL_AT_MS=8000 DOWN_MS=2000)
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { RedisTimerEngine } from '../src/adapters/outbound/timers/redis-timer-engine';
import { deleteKeys } from '../tests/support/test-redis';
import { percentile } from './support/stats';

const TIMERS = Number(process.env.TIMERS ?? 10_000);
const SPAN_MS = Number(process.env.SPAN_MS ?? 20_000);
const KILL_AT_MS = Number(process.env.KILL_AT_MS ?? 8_000);
const DOWN_MS = Number(process.env.DOWN_MS ?? 2_000);
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = `ibbench:timers-kill:${randomUUID().slice(0, 8)}:`;

const worker = async (): Promise<ChildProcess> => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/fixtures/timers/worker.ts'], {
    env: { ...process.env, TIMER_TEST_PREFIX: prefix, TIMER_LEASE_MS: '3000' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((r) => child.stdout!.on('data', (d) => String(d).includes('ready') && r(undefined)));
  return child;
};

// Schedule through an engine that never starts (the worker process does the firing).
const scheduler = new RedisTimerEngine({ redis, prefix, logger: pino({ level: 'silent' }) });
const start = Date.now() + 6_000;
for (let i = 0; i < TIMERS; i += 500) {
  await Promise.all(
    Array.from({ length: Math.min(500, TIMERS - i) }, (_, j) =>
      scheduler.schedule({ key: `k${i + j}`, kind: 'tick', dueAt: start + Math.floor(((i + j) * SPAN_MS) / TIMERS), payload: {} }),
    ),
  );
}
let child = await worker();
await new Promise((r) => setTimeout(r, start + KILL_AT_MS - Date.now()));
child.kill('SIGKILL');
const killedAt = Date.now();
await new Promise((r) => setTimeout(r, DOWN_MS));
child = await worker();
const restartedAt = Date.now();
for (const deadline = start + SPAN_MS + 20_000; Date.now() < deadline; ) {
  if ((await redis.llen(`${prefix}effects`)) >= TIMERS) break;
  await new Promise((r) => setTimeout(r, 250));
}
await new Promise((r) => setTimeout(r, 1_000));
child.kill('SIGTERM');

const effects = (await redis.lrange(`${prefix}effects`, 0, -1)).map(
  (e) => JSON.parse(e) as { key: string; dueAt: number; firedAt: number },
);
const byKey = new Map<string, number>();
for (const e of effects) byKey.set(e.key, (byKey.get(e.key) ?? 0) + 1);
const duplicates = [...byKey.values()].reduce((n, c) => n + c - 1, 0);
const lateness = effects.map((e) => e.firedAt - e.dueAt);
// Timers due while the worker was dead (or in flight when it died): how soon after the restart they fired.
const caughtUp = effects.filter((e) => e.dueAt < restartedAt && e.firedAt >= restartedAt).map((e) => e.firedAt - restartedAt);
const onTime = effects.filter((e) => e.dueAt >= restartedAt + 500).map((e) => e.firedAt - e.dueAt);
console.log(`timers ${TIMERS} over ${SPAN_MS} ms, worker SIGKILLed at +${KILL_AT_MS} ms, down ${restartedAt - killedAt} ms (incl. boot)`);
console.log(`lost ${TIMERS - byKey.size}, duplicates ${duplicates}`);
console.log(
  `due while down or in flight: ${caughtUp.length}, fired after restart within p50 ${percentile(caughtUp, 50)} ms, p99 ${percentile(caughtUp, 99)} ms, max ${Math.max(0, ...caughtUp)} ms (target ≤ 5,000)`,
);
console.log(
  `after the restart, on-time timers: lateness p50 ${percentile(onTime, 50)} ms, p99 ${percentile(onTime, 99)} ms (target p99 ≤ 150)`,
);
console.log(`all timers: lateness p50 ${percentile(lateness, 50)} ms, p99 ${percentile(lateness, 99)} ms`);
await deleteKeys(redis, prefix);
redis.disconnect();
process.exit(TIMERS - byKey.size === 0 && duplicates === 0 ? 0 : 1);
