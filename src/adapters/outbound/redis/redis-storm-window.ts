import type { StormSighting, StormWindow } from '../../../app/ports/storm-window';
import { keySpace, type KeySpace, type RedisClient } from './key-space';

/**
 * One group counted, in one step (so replicas agree on one storm):
 * 1. a storm of this scope is on (not ended, its last group within the window): the group joins it;
 * 2. otherwise the group goes into the window (groups older than the window drop out);
 * 3. reaching the threshold starts the next storm: the groups already in the window are
 *    returned (and noted in the folded hash, for those still opening their own incident).
 * KEYS: 1 window zset (group → time), 2 storm hash (epoch, started, last, parent, ended), 3 folded hash (group → epoch)
 * ARGV: 1 now, 2 window ms, 3 threshold, 4 group key, 5 storm TTL ms
 * Returns {0} alone, or {epoch, started, parent or '', earlier groups...}.
 */
const ADMIT_SCRIPT = `
local now, win, threshold = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local s = redis.call('HMGET', KEYS[2], 'epoch', 'last', 'ended', 'started', 'parent')
local epoch = tonumber(s[1] or '0')
if epoch > 0 and s[3] ~= s[1] and now - tonumber(s[2] or '0') <= win then
  redis.call('HSET', KEYS[2], 'last', ARGV[1])
  redis.call('PEXPIRE', KEYS[2], ARGV[5])
  return {epoch, s[4], s[5] or ''}
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. tostring(now - win))
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], win)
if redis.call('ZCARD', KEYS[1]) < threshold then return {0} end
epoch = redis.call('HINCRBY', KEYS[2], 'epoch', 1)
redis.call('HSET', KEYS[2], 'last', ARGV[1], 'started', ARGV[1])
redis.call('HDEL', KEYS[2], 'parent', 'ended')
redis.call('PEXPIRE', KEYS[2], ARGV[5])
local out = {epoch, ARGV[1], ''}
for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if m ~= ARGV[4] then
    redis.call('HSET', KEYS[3], m, epoch)
    table.insert(out, m)
  end
end
redis.call('PEXPIRE', KEYS[3], win + 60000)
redis.call('DEL', KEYS[1])
return out
`;

/** The first parent recorded for an epoch wins. Returns the parent. KEYS: 1 storm hash. ARGV: 1 epoch, 2 parent. */
const SET_PARENT_SCRIPT = `
if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return '' end
local parent = redis.call('HGET', KEYS[1], 'parent')
if parent then return parent end
redis.call('HSET', KEYS[1], 'parent', ARGV[2])
return ARGV[2]
`;

const END_SCRIPT = `
if redis.call('HGET', KEYS[1], 'epoch') == ARGV[1] then redis.call('HSET', KEYS[1], 'ended', ARGV[1]) end
return 1
`;

/** KEYS: 1 storm hash, 2 folded hash. ARGV: 1 group. Returns {} or {epoch, started, parent or ''}. */
const FOLDED_SCRIPT = `
local epoch = redis.call('HGET', KEYS[2], ARGV[1])
if not epoch then return {} end
local s = redis.call('HMGET', KEYS[1], 'epoch', 'started', 'parent', 'ended')
if s[1] ~= epoch or s[4] == epoch then return {} end
return {tonumber(epoch), s[2], s[3] or ''}
`;

// The storm hash outlives quiet periods; the parent's idempotency key includes the start time.
const STORM_TTL_MS = 7 * 86_400_000;

type Scripted = Record<string, (...args: unknown[]) => Promise<unknown>>;

/** The shared window of new alert groups (StormWindow), one hash tag per scope for Cluster. */
export class RedisStormWindow implements StormWindow {
  private readonly keys: KeySpace;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = keySpace(redis, prefix);
    redis.defineCommand('ibStormAdmit', { numberOfKeys: 3, lua: ADMIT_SCRIPT });
    redis.defineCommand('ibStormSetParent', { numberOfKeys: 1, lua: SET_PARENT_SCRIPT });
    redis.defineCommand('ibStormEnd', { numberOfKeys: 1, lua: END_SCRIPT });
    redis.defineCommand('ibStormFolded', { numberOfKeys: 2, lua: FOLDED_SCRIPT });
  }

  private get scripts(): Scripted {
    return this.redis as unknown as Scripted;
  }

  private key(scope: string, what: 'window' | 'storm' | 'folded'): string {
    return this.keys.tagged(`storm:${scope}`, `storm:${scope}:${what}`);
  }

  async admit(scope: string, groupKey: string, now: number, windowMs: number, threshold: number): Promise<StormSighting | null> {
    const out = (await this.scripts.ibStormAdmit!(
      this.key(scope, 'window'),
      this.key(scope, 'storm'),
      this.key(scope, 'folded'),
      String(now),
      String(windowMs),
      String(threshold),
      groupKey,
      String(STORM_TTL_MS),
    )) as (string | number)[];
    return sighting(out);
  }

  async setParent(scope: string, epoch: number, parentId: string): Promise<string> {
    const winner = (await this.scripts.ibStormSetParent!(this.key(scope, 'storm'), String(epoch), parentId)) as string;
    return winner || parentId;
  }

  async end(scope: string, epoch: number): Promise<void> {
    await this.scripts.ibStormEnd!(this.key(scope, 'storm'), String(epoch));
  }

  async foldedInto(scope: string, groupKey: string): Promise<StormSighting | null> {
    return sighting(
      (await this.scripts.ibStormFolded!(this.key(scope, 'storm'), this.key(scope, 'folded'), groupKey)) as (string | number)[],
    );
  }
}

function sighting(out: (string | number)[]): StormSighting | null {
  const [epoch, started, parent, ...earlier] = out;
  if (!epoch) return null;
  return { epoch: Number(epoch), startedAt: Number(started), parentId: parent ? String(parent) : null, earlier: earlier.map(String) };
}
