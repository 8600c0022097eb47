import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisTimerEngine } from '../../../src/adapters/outbound/timers/redis-timer-engine';
import { createTestRedis, TEST_REDIS_URL } from '../../support/test-redis';

const WORKER = fileURLToPath(new URL('../../fixtures/timers/worker.ts', import.meta.url));
const CYCLES = 8;
const TIMERS = 300;

interface Effect {
  key: string;
  dueAt: number;
  firedAt: number;
  pid: number;
  attempt: number;
  late: boolean;
}

function spawnWorker(prefix: string): Promise<{ child: ChildProcess; readyAt: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
    env: {
      ...process.env,
      TIMER_TEST_PREFIX: prefix,
      TEST_REDIS_URL,
      TIMER_LEASE_MS: '2000',
      TIMER_EFFECT_MS: '250',
      TIMER_AFTER_EFFECT_MS: '150',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timeout = setTimeout(() => reject(new Error('worker did not start within 15 s')), 15_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) {
        clearTimeout(timeout);
        resolve({ child, readyAt: Date.now() });
      }
    });
    child.on('exit', (code) => code !== null && code !== 0 && reject(new Error(`worker exited ${code}`)));
  });
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

describe('timers across kill -9 of the worker process', () => {
  let redis: Redis;
  let prefix: string;
  let cleanup: () => Promise<void>;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    ({ redis, prefix, cleanup } = await createTestRedis('timers-kill'));
  });
  afterAll(async () => {
    await Promise.all(children.map(killHard));
    await cleanup();
  });

  it(`${CYCLES} kill/restart cycles: nothing lost, no effect twice, due timers fire within 5 s of restart`, {
    timeout: 90_000,
  }, async () => {
    // The scheduling side is a separate engine that never starts (like a replica that only plans).
    const planner = new RedisTimerEngine({ redis, prefix, logger: pino({ level: 'silent' }) });
    const start = Date.now() + 1_500;
    const span = 20_000;
    for (let i = 0; i < TIMERS; i++) {
      await planner.schedule({
        key: `INC-20260101-100:tick:${i}`,
        kind: 'tick',
        dueAt: start + Math.floor((i * span) / TIMERS),
        payload: {},
      });
    }

    const readyAtByPid = new Map<number, number>();
    const kills: number[] = [];
    let current = await spawnWorker(prefix);
    children.push(current.child);
    readyAtByPid.set(current.child.pid!, current.readyAt);
    // Random but bounded: a worker lives 1.2–2.7 s, then is down 0.2–1.2 s (a due time often falls in the gap).
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      await pause(1_200 + Math.random() * 1_500);
      await killHard(current.child);
      kills.push(Date.now());
      await pause(200 + Math.random() * 1_000);
      current = await spawnWorker(prefix);
      children.push(current.child);
      readyAtByPid.set(current.child.pid!, current.readyAt);
    }

    const deadline = Math.max(start + span, Date.now()) + 10_000;
    let effects: Effect[] = [];
    while (Date.now() < deadline) {
      effects = (await redis.lrange(`${prefix}effects`, 0, -1)).map((s) => JSON.parse(s) as Effect);
      if (new Set(effects.map((e) => e.key)).size >= TIMERS) break;
      await pause(200);
    }
    await pause(2_500); // let any duplicate show up
    effects = (await redis.lrange(`${prefix}effects`, 0, -1)).map((s) => JSON.parse(s) as Effect);
    const fires = await redis.llen(`${prefix}fires`);
    const confirmed = await redis.llen(`${prefix}confirmed`);

    const unique = new Set(effects.map((e) => e.key));
    const lost = TIMERS - unique.size;
    const duplicates = effects.length - unique.size;
    // How long after it could first have fired: its due time, or the start of the worker that ran it.
    const delays = effects.map((e) => e.firedAt - Math.max(e.dueAt, readyAtByPid.get(e.pid) ?? e.dueAt)).sort((a, b) => a - b);
    const lateness = effects.map((e) => e.firedAt - e.dueAt).sort((a, b) => a - b);
    console.log(
      `kill test: ${TIMERS} timers, ${CYCLES} kills, lost ${lost}, duplicate effects ${duplicates}, handler deliveries ${fires} ` +
        `(redeliveries ${fires - TIMERS}); delay after due-or-restart p50 ${percentile(delays, 50)} ms, p99 ${percentile(delays, 99)} ms, max ${delays.at(-1)} ms; ` +
        `lateness vs dueAt p50 ${percentile(lateness, 50)} ms, p99 ${percentile(lateness, 99)} ms, max ${lateness.at(-1)} ms; late=true ${effects.filter((e) => e.late).length}, ` +
        `effects run on attempt > 1 ${effects.filter((e) => e.attempt > 1).length}; ` +
        `killed after the effect landed, found by lookup and not repeated ${confirmed}`,
    );
    expect(lost).toBe(0);
    expect(duplicates).toBe(0);
    expect(delays.at(-1)!).toBeLessThan(5_000);
  });
});
