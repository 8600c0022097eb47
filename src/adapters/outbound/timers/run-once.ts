import { randomUUID } from 'node:crypto';
import { confirmReplicated } from '../redis/confirm-replicated';
import { keySpace, type RedisClient } from '../redis/key-space';
import { LuaScript } from './run-script';

export type RunOnceResult<T> =
  | { outcome: 'ran'; value: T }
  /** Somebody already did it (or an earlier attempt did, as `alreadyHappened` found): nothing to do. */
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
  /**
   * Asked before running the effect again when an earlier attempt started it and never
   * finished (its process died, or the call failed after the other side may have acted,
   * e.g. a Slack timeout). Answers whether the effect is visible anyway, looked up where it
   * lands (the channel's history, the timeline) since `startedAt`. True: it is marked done and
   * not repeated. Without it, or when it throws, the effect runs again (at least once).
   */
  alreadyHappened?: (startedAt: number) => Promise<boolean>;
}

/**
 * KEYS: claim, attempt. ARGV: token, claimMs, now, ttlMs.
 * Takes the claim when it is free; the attempt key keeps the start of the first attempt
 * that did not finish. Returns {claimed (0/1), state ('done' | holder | ''), earlier attempt start or ''}.
 */
const CLAIM = new LuaScript(`
local current = redis.call('GET', KEYS[1])
if current then return {0, current, ''} end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local earlier = redis.call('GET', KEYS[2])
if not earlier then redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4]) end
return {1, '', earlier or ''}
`);
// Compare-and-set: only the claim we took may be turned into "done" or released.
const MARK_DONE = new LuaScript(`
local current = redis.call('GET', KEYS[1])
if current == ARGV[1] or not current then
  redis.call('SET', KEYS[1], 'done', 'PX', ARGV[2])
  redis.call('DEL', KEYS[2])
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
 * a claim (SET NX PX claimMs) makes it exclusive, success marks it done for ttlMs, a throw
 * releases the claim so a retry can run it. Every claim also records that an attempt
 * started; the next claim after an unfinished attempt asks `alreadyHappened` first, which
 * closes the gap between "the effect happened" and "done was written" (a crash there, or
 * an error reply after the other side acted) for any effect that can be looked up.
 */
export async function runOnce<T>(
  redis: RedisClient,
  prefix: string,
  effectKey: string,
  ttlMs: number,
  fn: () => Promise<T>,
  options: RunOnceOptions = {},
): Promise<RunOnceResult<T>> {
  // Claim and attempt marks go through one script together: one hash tag per effect.
  const space = keySpace(redis, prefix);
  const keys = [
    space.tagged(`effects:${effectKey}`, `effects:${effectKey}`),
    space.tagged(`effects:${effectKey}`, `effects:${effectKey}:attempt`),
  ];
  const token = `run:${randomUUID()}`;
  const claimMs = Math.min(ttlMs, options.claimMs ?? 30_000);
  const waitUntil = Date.now() + (options.waitMs ?? 0);
  let earlier: string;
  for (;;) {
    const [claimed, holder, started] = (await CLAIM.run(redis, keys, [token, claimMs, Date.now(), ttlMs])) as [number, string, string];
    if (claimed === 1) {
      earlier = started;
      break;
    }
    if (holder === 'done') return { outcome: 'already_done' };
    const left = waitUntil - Date.now();
    if (left <= 0) return { outcome: 'in_progress' };
    const claimLeft = await redis.pttl(keys[0]!);
    await new Promise((r) => setTimeout(r, Math.max(20, Math.min(left, claimLeft > 0 ? claimLeft : 20, 250))));
  }
  if (earlier !== '' && options.alreadyHappened && (await askAlreadyHappened(options.alreadyHappened, Number(earlier)))) {
    await MARK_DONE.run(redis, keys, [token, ttlMs]);
    return { outcome: 'already_done' };
  }
  let value: T;
  try {
    value = await fn();
  } catch (err) {
    await RELEASE.run(redis, keys, [token]).catch(() => undefined);
    throw err;
  }
  // 0 means our claim expired and another runner took it: the effect may happen twice; fn took longer than claimMs.
  await MARK_DONE.run(redis, keys, [token, ttlMs]);
  // "done" lost in a failover would let a redelivered timer do the effect again.
  await confirmReplicated(redis);
  return { outcome: 'ran', value };
}

/** A lookup that fails must not block the effect: running it again is the safer mistake. */
async function askAlreadyHappened(check: (startedAt: number) => Promise<boolean>, startedAt: number): Promise<boolean> {
  try {
    return await check(startedAt);
  } catch {
    return false;
  }
}
