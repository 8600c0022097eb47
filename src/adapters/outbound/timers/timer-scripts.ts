import { LuaScript } from './run-script';

// Each state change is one Lua script, so a crash between two Redis calls can never
// leave a timer in neither the due set nor the lease set (the bug that lost timers when
// a poller removed a timer before acting on it).

/**
 * KEYS: due, leases, data, fence, attempts, seq. ARGV: now, leaseMs, limit.
 * Claims expired leases first (their owner died), then due timers; each gets a lease
 * expiry and a new fencing token. Returns {claimed[key, token, attempt, json]..., nextDue, nextLeaseExpiry}.
 */
export const CLAIM = new LuaScript(`
local now = tonumber(ARGV[1])
local leaseUntil = now + tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local out = {}
local function claim(key)
  local json = redis.call('HGET', KEYS[3], key)
  redis.call('ZREM', KEYS[1], key)
  if not json then
    redis.call('ZREM', KEYS[2], key)
    return
  end
  local token = redis.call('INCR', KEYS[6])
  redis.call('HSET', KEYS[4], key, token)
  local attempt = redis.call('HINCRBY', KEYS[5], key, 1)
  redis.call('ZADD', KEYS[2], leaseUntil, key)
  out[#out + 1] = key
  out[#out + 1] = tostring(token)
  out[#out + 1] = tostring(attempt)
  out[#out + 1] = json
end
if limit > 0 then
  local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, limit)
  for _, key in ipairs(expired) do claim(key) end
  local left = limit - #expired
  if left > 0 then
    local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, left)
    for _, key in ipairs(due) do claim(key) end
  end
end
local nextDue = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local nextLease = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
return {out, nextDue[2] or '', nextLease[2] or ''}
`);

/** KEYS: due, data, fired. ARGV: key, dueAt, json. Idempotent by key, and a fired key stays fired. */
export const SCHEDULE = new LuaScript(`
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return 'exists' end
if redis.call('ZSCORE', KEYS[3], ARGV[1]) then return 'fired' end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
return 'scheduled'
`);

/**
 * KEYS: leases, data, fence, attempts, fired. ARGV: key, token, now, firedTtlMs.
 * Only the current lease holder completes; a stale one (reclaimed, cancelled) gets 0.
 */
export const COMPLETE = new LuaScript(`
if redis.call('HGET', KEYS[3], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[1])
local now = tonumber(ARGV[3])
redis.call('ZADD', KEYS[5], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now - tonumber(ARGV[4]))
return 1
`);

/**
 * KEYS: due, leases, data, fence, attempts, dead. ARGV: key, token, retryAt, maxAttempts, deadJson.
 * A failed handler gives its timer back for a later retry, or dead-letters it after maxAttempts.
 */
export const RELEASE = new LuaScript(`
if redis.call('HGET', KEYS[4], ARGV[1]) ~= ARGV[2] then return 'lost' end
redis.call('HDEL', KEYS[4], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
local attempts = tonumber(redis.call('HGET', KEYS[5], ARGV[1]) or '0')
if attempts >= tonumber(ARGV[4]) then
  redis.call('HSET', KEYS[6], ARGV[1], ARGV[5])
  redis.call('HDEL', KEYS[3], ARGV[1])
  redis.call('HDEL', KEYS[5], ARGV[1])
  return 'dead'
end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return 'retry'
`);

/** KEYS: leases, fence. ARGV: key, token, leaseUntil. Heartbeat for handlers that outlive one lease. */
export const EXTEND = new LuaScript(`
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('ZADD', KEYS[1], 'XX', ARGV[3], ARGV[1])
return 1
`);

/** KEYS: due, leases, data, fence, attempts. ARGV: keys to cancel. Returns how many existed. */
export const CANCEL = new LuaScript(`
local n = 0
for _, key in ipairs(ARGV) do
  n = n + redis.call('HDEL', KEYS[3], key)
  redis.call('ZREM', KEYS[1], key)
  redis.call('ZREM', KEYS[2], key)
  redis.call('HDEL', KEYS[4], key)
  redis.call('HDEL', KEYS[5], key)
end
return n
`);
