import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runOnce } from '../../../src/adapters/outbound/timers/run-once';
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

  it("with waitMs, waits out a dead runner's claim and then runs the effect once (no retry backoff)", async () => {
    const effectKey = 'wait-out';
    await redis.set(`${prefix}effects:${effectKey}`, 'run:dead-worker', 'PX', 300);
    let runs = 0;
    expect(await runOnce(redis, prefix, effectKey, 60_000, async () => ++runs, { claimMs: 1_000 })).toEqual({ outcome: 'in_progress' });
    const started = Date.now();
    expect(await runOnce(redis, prefix, effectKey, 60_000, async () => ++runs, { claimMs: 1_000, waitMs: 2_000 })).toEqual({
      outcome: 'ran',
      value: 1,
    });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(await runOnce(redis, prefix, effectKey, 60_000, async () => ++runs, { waitMs: 500 })).toEqual({ outcome: 'already_done' });
    expect(runs).toBe(1);
  });

  describe('an attempt that died after its effect landed (the crash window)', () => {
    // A runner that performs the effect and then never returns: what a kill -9 between
    // "Slack accepted the post" and "done written" leaves behind.
    const dieAfterEffect = (landed: string[], key: string) => () => {
      landed.push(key);
      return new Promise<never>(() => undefined);
    };

    it('the retry looks the effect up, finds it and does not repeat it', async () => {
      const landed: string[] = [];
      const lookups: number[] = [];
      const before = Date.now();
      void runOnce(redis, prefix, 'post', 60_000, dieAfterEffect(landed, 'post'), { claimMs: 200 });
      await new Promise((r) => setTimeout(r, 50));
      const retry = await runOnce(redis, prefix, 'post', 60_000, async () => landed.push('post'), {
        claimMs: 200,
        waitMs: 1_000,
        alreadyHappened: async (startedAt) => {
          lookups.push(startedAt);
          return landed.includes('post');
        },
      });
      expect(retry).toEqual({ outcome: 'already_done' });
      expect(landed).toEqual(['post']);
      // The lookup is told when the first attempt started, so it can search from there.
      expect(lookups).toHaveLength(1);
      expect(lookups[0]).toBeGreaterThanOrEqual(before);
      expect(lookups[0]).toBeLessThanOrEqual(before + 50);
      expect(await runOnce(redis, prefix, 'post', 60_000, async () => landed.push('again'))).toEqual({ outcome: 'already_done' });
    });

    it('when the lookup does not find it, the effect runs (a crash before the effect must not lose it)', async () => {
      const landed: string[] = [];
      void runOnce(redis, prefix, 'post', 60_000, () => new Promise<never>(() => undefined), { claimMs: 200 });
      await new Promise((r) => setTimeout(r, 50));
      const retry = await runOnce(redis, prefix, 'post', 60_000, async () => landed.push('post'), {
        claimMs: 200,
        waitMs: 1_000,
        alreadyHappened: async () => false,
      });
      expect(retry).toEqual({ outcome: 'ran', value: 1 });
      expect(landed).toEqual(['post']);
    });

    it('a lookup that throws (Slack down, missing scope) runs the effect again rather than lose it', async () => {
      let runs = 0;
      void runOnce(redis, prefix, 'post', 60_000, () => new Promise<never>(() => undefined), { claimMs: 200 });
      await new Promise((r) => setTimeout(r, 50));
      const retry = await runOnce(redis, prefix, 'post', 60_000, async () => ++runs, {
        claimMs: 200,
        waitMs: 1_000,
        alreadyHappened: async () => {
          throw new Error('missing_scope');
        },
      });
      expect(retry).toEqual({ outcome: 'ran', value: 1 });
    });

    it('an error reply after the effect landed (a timeout) is checked on retry too', async () => {
      const landed: string[] = [];
      const timeoutAfterLanding = async () => {
        landed.push('post');
        throw new Error('request timed out');
      };
      await expect(runOnce(redis, prefix, 'post', 60_000, timeoutAfterLanding)).rejects.toThrow('timed out');
      const retry = await runOnce(redis, prefix, 'post', 60_000, async () => landed.push('post'), {
        alreadyHappened: async () => landed.includes('post'),
      });
      expect(retry).toEqual({ outcome: 'already_done' });
      expect(landed).toEqual(['post']);
    });

    it('a first attempt is never looked up (no cost on the common path)', async () => {
      let lookups = 0;
      const first = await runOnce(redis, prefix, 'fresh', 60_000, async () => 'ok', { alreadyHappened: async () => (++lookups, true) });
      expect(first).toEqual({ outcome: 'ran', value: 'ok' });
      expect(lookups).toBe(0);
      expect(await redis.exists(`${prefix}effects:fresh:attempt`)).toBe(0);
    });
  });
});
