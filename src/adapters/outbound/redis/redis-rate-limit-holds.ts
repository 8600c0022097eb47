import type { RateLimitHolds } from '../../../app/ports/rate-limit-holds';
import { keySpace, type KeySpace, type RedisClient } from './key-space';

// The key's own TTL is the hold: Redis's clock decides when it ends, not each replica's.
// Keeps the longer of the hold already there and the new one.
const HOLD_SCRIPT = `
for i, key in ipairs(KEYS) do
  if redis.call('PTTL', key) < tonumber(ARGV[1]) then redis.call('SET', key, '1', 'PX', ARGV[1]) end
end
return 1`;

const REMAINING_SCRIPT = `
local longest = 0
for i, key in ipairs(KEYS) do
  local left = redis.call('PTTL', key)
  if left > longest then longest = left end
end
return longest`;

/** Retry-After holds in Redis, all under one hash tag so one script reads several scopes. */
export class RedisRateLimitHolds implements RateLimitHolds {
  private readonly keys: KeySpace;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    private readonly vendor: string,
  ) {
    this.keys = keySpace(redis, prefix);
  }

  private key(scope: string): string {
    return this.keys.tagged(`holds:${this.vendor}`, `hold:${this.vendor}:${scope}`);
  }

  async hold(scopes: readonly string[], ms: number): Promise<void> {
    if (!scopes.length || ms <= 0) return;
    await this.redis.eval(HOLD_SCRIPT, scopes.length, ...scopes.map((s) => this.key(s)), String(Math.ceil(ms)));
  }

  async remainingMs(scopes: readonly string[]): Promise<number> {
    if (!scopes.length) return 0;
    return Number(await this.redis.eval(REMAINING_SCRIPT, scopes.length, ...scopes.map((s) => this.key(s))));
  }
}
