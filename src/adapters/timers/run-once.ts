import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LuaScript } from './run-script';

export type RunOnceResult<T> =
  | { outcome: 'ran'; value: T }
  /** Somebody already did it: nothing to do. */
  | { outcome: 'already_done' }
  /** Somebody is doing it right now, or died doing it less than claimMs ago: throw so the timer retries later. */
  | { outcome: 'in_progress' };

export interface RunOnceOptions {
  /** How long a started-but-unfinished effect blocks others; after it a crashed runner's effect is retried (default 30 s). */
  claimMs?: number;
  /**
   * How long to wait for another runner's claim to end (it finishes, or its dead owner's
   * claim expires) before answering in_progress (default 0). Waiting here, rather than
   * failing the timer, keeps a crashed worker's effect from going through the engine's
   * growing retry backoff: it runs as soon as the dead claim expires.
   */
  waitMs?: number;
}

// Compare-and-set: only the claim we took may be turned into "done" or released.
const MARK_DONE = new LuaScript(`
local current = redis.call('GET', KEYS[1])
if current == ARGV[1] or not current then
  redis.call('SET', KEYS[1], 'done', 'PX', ARGV[2])
  return 1
end
return 0
`);
const RELEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/**
 * Runs `fn` once per effectKey across every replica and every redelivery of a timer:
 * SET NX claims it, success marks it done for ttlMs, a throw releases it so a retry can run it.
 * Remaining window: a crash after the effect (a Slack post) but before "done" is written leaves
 * the claim to expire after claimMs, and the retry then repeats the effect. It is the gap between
 * two network calls, not a lease period.
 */
export async function runOnce<T>(
  redis: Redis,
  prefix: string,
  effectKey: string,
  ttlMs: number,
  fn: () => Promise<T>,
  options: RunOnceOptions = {},
): Promise<RunOnceResult<T>> {
  const key = `${prefix}effects:${effectKey}`;
  const token = `run:${randomUUID()}`;
  const claimMs = Math.min(ttlMs, options.claimMs ?? 30_000);
  const waitUntil = Date.now() + (options.waitMs ?? 0);
  while ((await redis.set(key, token, 'PX', claimMs, 'NX')) === null) {
    if ((await redis.get(key)) === 'done') return { outcome: 'already_done' };
    const left = waitUntil - Date.now();
    if (left <= 0) return { outcome: 'in_progress' };
    const claimLeft = await redis.pttl(key);
    await new Promise((r) => setTimeout(r, Math.max(20, Math.min(left, claimLeft > 0 ? claimLeft : 20, 250))));
  }
  let value: T;
  try {
    value = await fn();
  } catch (err) {
    await RELEASE.run(redis, [key], [token]).catch(() => undefined);
    throw err;
  }
  // 0 means our claim expired and another runner took it: the effect may happen twice; fn took longer than claimMs.
  await MARK_DONE.run(redis, [key], [token, ttlMs]);
  return { outcome: 'ran', value };
}
