import pino from 'pino';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisTimerEngine } from '../../../src/adapters/outbound/timers/redis-timer-engine';
import type { ScheduledTimer, TimerContext } from '../../../src/app/ports/timer-engine';
import { createTestRedis } from '../../support/test-redis';

const logger = pino({ level: 'silent' });

interface Fire {
  key: string;
  at: number;
  ctx: TimerContext;
  by: string;
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('RedisTimerEngine (real Redis)', () => {
  let redis: Redis;
  let prefix: string;
  let cleanup: () => Promise<void>;
  const engines: RedisTimerEngine[] = [];
  const extra: Redis[] = [];

  beforeEach(async () => {
    ({ redis, prefix, cleanup } = await createTestRedis('timers'));
  });
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.stop()));
    extra.splice(0).forEach((r) => {
      r.disconnect();
    });
    await cleanup();
  });

  function engine(_name: string, conn: Redis = redis, options: { leaseMs?: number; pollMs?: number } = {}) {
    const e = new RedisTimerEngine({ redis: conn, prefix, logger, pollMs: options.pollMs ?? 200, leaseMs: options.leaseMs ?? 2_000 });
    engines.push(e);
    return e;
  }

  function recorder(fires: Fire[], by: string) {
    return async (timer: ScheduledTimer, ctx: TimerContext) => {
      fires.push({ key: timer.key, at: Date.now(), ctx, by });
    };
  }

  it('fires a timer once at its due time, not before', async () => {
    const fires: Fire[] = [];
    const e = engine('a');
    e.start({ remind: recorder(fires, 'a') });
    const dueAt = Date.now() + 800;
    expect(await e.schedule({ key: 'INC-20260101-001:remind:1', kind: 'remind', dueAt, payload: { n: 1 } })).toBe('scheduled');
    await until(() => fires.length === 1, 5_000);
    await pause(600);
    expect(fires).toHaveLength(1);
    expect(fires[0]!.at).toBeGreaterThanOrEqual(dueAt);
    expect(fires[0]!.ctx).toMatchObject({ late: false, attempt: 1 });
    console.log(`single timer lateness: ${fires[0]!.at - dueAt} ms`);
    expect(await e.list()).toEqual([]);
  });

  it('is idempotent by key, and a fired key is not scheduled again', async () => {
    const fires: Fire[] = [];
    const e = engine('a');
    const dueAt = Date.now() + 300;
    const timer = { key: 'INC-20260101-001:remind:2', kind: 'remind', dueAt, payload: {} };
    expect(await e.schedule(timer)).toBe('scheduled');
    expect(await e.schedule({ ...timer, payload: { other: true } })).toBe('exists');
    expect(await e.list('INC-20260101-001:')).toHaveLength(1);
    e.start({ remind: recorder(fires, 'a') });
    await until(() => fires.length === 1, 5_000);
    await until(async () => (await e.list()).length === 0, 2_000);
    expect(await e.schedule(timer)).toBe('fired');
    await pause(700);
    expect(fires).toHaveLength(1);
  });

  it('cancels one key and every timer of an incident, and nothing cancelled fires', async () => {
    const fires: Fire[] = [];
    const e = engine('a');
    const dueAt = Date.now() + 700;
    await e.schedule({ key: 'INC-20260101-001:a:1', kind: 'remind', dueAt, payload: {} });
    await e.schedule({ key: 'INC-20260101-001:b:1', kind: 'remind', dueAt, payload: {} });
    await e.schedule({ key: 'INC-20260101-002:a:1', kind: 'remind', dueAt, payload: {} });
    await e.schedule({ key: 'INC-20260101-0010:a:1', kind: 'remind', dueAt, payload: {} });
    expect(await e.cancel('INC-20260101-002:a:1')).toBe(true);
    expect(await e.cancel('INC-20260101-002:a:1')).toBe(false);
    expect(await e.cancelIncident('INC-20260101-001')).toBe(2);
    e.start({ remind: recorder(fires, 'a') });
    await until(() => fires.length === 1, 5_000);
    await pause(500);
    expect(fires.map((f) => f.key)).toEqual(['INC-20260101-0010:a:1']);
  });

  it('survives an engine restart between scheduling and the due time: fires once', async () => {
    const fires: Fire[] = [];
    const first = engine('first');
    first.start({ remind: recorder(fires, 'first') });
    const dueAt = Date.now() + 1_200;
    await first.schedule({ key: 'INC-20260101-003:remind:1', kind: 'remind', dueAt, payload: {} });
    await first.stop();
    const second = engine('second');
    second.start({ remind: recorder(fires, 'second') });
    await until(() => fires.length === 1, 5_000);
    await pause(500);
    expect(fires).toHaveLength(1);
    expect(fires[0]!.by).toBe('second');
  });

  it('with two replicas on one Redis, each timer fires once', async () => {
    const fires: Fire[] = [];
    const connB = redis.duplicate();
    extra.push(connB);
    const a = engine('a');
    const b = engine('b', connB);
    const count = 200;
    const base = Date.now() + 500;
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        a.schedule({ key: `INC-20260101-004:t:${i}`, kind: 'tick', dueAt: base + (i % 50) * 40, payload: {} }),
      ),
    );
    a.start({ tick: recorder(fires, 'a') });
    b.start({ tick: recorder(fires, 'b') });
    await until(() => fires.length >= count, 10_000);
    await pause(500);
    const unique = new Set(fires.map((f) => f.key));
    expect(unique.size).toBe(count);
    expect(fires).toHaveLength(count);
    const byA = fires.filter((f) => f.by === 'a').length;
    console.log(`two replicas: ${count} timers, a fired ${byA}, b fired ${count - byA}, duplicates ${fires.length - unique.size}`);
  });

  it('a timer that came due while every bot was down fires once at start, late, saying how late', async () => {
    const fires: Fire[] = [];
    const e = engine('a');
    const dueAt = Date.now() + 200;
    await e.schedule({ key: 'INC-20260101-005:breach:1', kind: 'breach', dueAt, payload: {} });
    await pause(2_600);
    const startedAt = Date.now();
    e.start({ breach: recorder(fires, 'a') });
    await until(() => fires.length === 1, 5_000);
    await pause(400);
    expect(fires).toHaveLength(1);
    expect(fires[0]!.ctx.late).toBe(true);
    expect(fires[0]!.ctx.lateByMs).toBeGreaterThanOrEqual(startedAt - dueAt);
    expect(fires[0]!.at - startedAt).toBeLessThan(2_000);
  });

  it('retries a handler that throws, with the next attempt number', async () => {
    const attempts: number[] = [];
    const e = new RedisTimerEngine({ redis, prefix, logger, pollMs: 100, leaseMs: 2_000, retryBaseMs: 200 });
    engines.push(e);
    e.start({
      flaky: async (_t, ctx) => {
        attempts.push(ctx.attempt);
        if (ctx.attempt < 3) throw new Error('Slack said no');
      },
    });
    await e.schedule({ key: 'INC-20260101-006:flaky:1', kind: 'flaky', dueAt: Date.now(), payload: {} });
    await until(() => attempts.length === 3, 5_000);
    await until(async () => (await e.list()).length === 0, 2_000);
    await pause(500);
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('keeps the lease of a handler that runs longer than one lease (heartbeat): no second delivery', async () => {
    const fires: Fire[] = [];
    const connB = redis.duplicate();
    extra.push(connB);
    const a = engine('a', redis, { leaseMs: 600, pollMs: 100 });
    const b = engine('b', connB, { leaseMs: 600, pollMs: 100 });
    const slow = (by: string) => async (timer: ScheduledTimer, ctx: TimerContext) => {
      fires.push({ key: timer.key, at: Date.now(), ctx, by });
      await pause(2_000);
    };
    await a.schedule({ key: 'INC-20260101-007:slow:1', kind: 'slow', dueAt: Date.now(), payload: {} });
    a.start({ slow: slow('a') });
    b.start({ slow: slow('b') });
    await until(async () => fires.length === 1 && (await a.list()).length === 0, 6_000);
    expect(fires).toHaveLength(1);
  });
});
