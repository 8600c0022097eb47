import type { Logger } from '../../../logger';
import type { RedisClient } from './key-space';

/**
 * Logs a Redis outage once when it starts (naming the server and the error) and once when it
 * ends. ioredis emits an error on every reconnect attempt; logging each, or each request that
 * failed meanwhile, buried the one line that says what is wrong.
 */
export function watchRedisHealth(redis: RedisClient, address: string, log: Logger): void {
  let downSince: number | undefined;
  redis.on('error', (error: Error) => {
    if (downSince !== undefined) return;
    downSince = Date.now();
    log.error(
      { redis: address, err: error.message },
      `Redis at ${address} is unreachable (${error.message}); commands answer that nothing was recorded, alerts get 503 + Retry-After, /readyz fails until it is back`,
    );
  });
  redis.on('ready', () => {
    if (downSince === undefined) return;
    log.info({ redis: address, downMs: Date.now() - downSince }, `Redis at ${address} is reachable again`);
    downSince = undefined;
  });
}

/** A Redis URL without its password, fit for a log line. */
export function redisAddress(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    parsed.username = '';
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return '(unparseable REDIS_URL)';
  }
}
