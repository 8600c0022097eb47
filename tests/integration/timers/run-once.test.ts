import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runOnce } from '../../../src/adapters/timers/run-once';
import { createTestRedis } from '../../support/test-redis';

describe('runOnce (real Redis)', () => {
  let redis: Redis;
  let prefix: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ redis, prefix, cleanup } = await createTestRedis('run-once'));
  });
  afterEach(async () => cleanup());

  const effectKey = 'INC-20260101-001:update_reminder:P0:1767225600000';

  it('runs the effect once however often it is called, even concurrently', async () => {
    let posts = 0;
    const post = async () => {
      posts++;
      await new Promise((r) => setTimeout(r, 50));
      return 'ts-1';
    };
    const results = await Promise.all(Array.from({ length: 5 }, () => runOnce(redis, prefix, effectKey, 60_000, post)));
    const later = await runOnce(redis, prefix, effectKey, 60_000, post);
    expect(posts).toBe(1);
    expect(results.filter((r) => r.outcome === 'ran')).toEqual([{ outcome: 'ran', value: 'ts-1' }]);
    expect(results.filter((r) => r.outcome === 'in_progress')).toHaveLength(4);
    expect(later).toEqual({ outcome: 'already_done' });
  });

  it('releases the claim when the effect throws, so a retry runs it', async () => {
    let calls = 0;
    const flaky = async () => {
      calls++;
      if (calls === 1) throw new Error('slack 500');
      return calls;
    };
    await expect(runOnce(redis, prefix, effectKey, 60_000, flaky)).rejects.toThrow('slack 500');
    expect(await runOnce(redis, prefix, effectKey, 60_000, flaky)).toEqual({ outcome: 'ran', value: 2 });
    expect(calls).toBe(2);
  });

  it('a runner that died mid-effect blocks others only until its claim expires', async () => {
    // What a killed process leaves behind: a claim, never turned into "done".
    await redis.set(`${prefix}effects:${effectKey}`, 'run:dead-process', 'PX', 300);
    let calls = 0;
    const effect = async () => ++calls;
    expect(await runOnce(redis, prefix, effectKey, 60_000, effect)).toEqual({ outcome: 'in_progress' });
    await new Promise((r) => setTimeout(r, 400));
    expect(await runOnce(redis, prefix, effectKey, 60_000, effect)).toEqual({ outcome: 'ran', value: 1 });
    expect(await redis.pttl(`${prefix}effects:${effectKey}`)).toBeGreaterThan(50_000);
  });

  it('with waitMs, waits out a dead runner\'s claim and then runs the effect once (no retry backoff)', async () => {
    const effectKey = 'wait-out';
    await redis.set(`${prefix}effects:${effectKey}`, 'run:dead-worker', 'PX', 300);
    let runs = 0;
    expect(await runOnce(redis, prefix, effectKey, 60_000, async () => ++runs, { claimMs: 1_000 })).toEqual({ outcome: 'in_progress' });
    const started = Date.now();
    expect(await runOnce(redis, prefix, effectKey, 60_000, async () => ++runs, { claimMs: 1_000, waitMs: 2_000 })).toEqual({ outcome: 'ran', value: 1 });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(await runOnce(redis, prefix, effectKey, 60_000, async () => ++runs, { waitMs: 500 })).toEqual({ outcome: 'already_done' });
    expect(runs).toBe(1);
  });
});
