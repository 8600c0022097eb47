import type { Logger } from '../../../logger';
import type { RedisClient } from './key-space';

/**
 * Redis is the one store: incidents, timelines and timers must survive a Redis restart and
 * must never be evicted. Warns (does not refuse to start) when the server is set up to
 * lose them. Managed Redis often disables CONFIG; then we can only say we could not check.
 */
export async function checkRedisConfig(redis: RedisClient, log: Logger): Promise<string[]> {
  const warnings: string[] = [];
  try {
    const [, appendonly] = (await redis.config('GET', 'appendonly')) as string[];
    const [, fsync] = (await redis.config('GET', 'appendfsync')) as string[];
    const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as string[];
    if (appendonly !== 'yes')
      warnings.push(
        'Redis has appendonly off: a Redis restart loses incidents and timers. Set "appendonly yes" and "appendfsync everysec".',
      );
    else if (fsync === 'no') warnings.push('Redis appendfsync is "no": up to ~30 s of writes can be lost on a crash. Use "everysec".');
    if (policy !== 'noeviction')
      warnings.push(
        `Redis maxmemory-policy is "${policy}": under memory pressure it may evict incidents or timers. Set "maxmemory-policy noeviction".`,
      );
  } catch (error) {
    log.info(
      { err: (error as Error).message },
      'could not read the Redis configuration (CONFIG disabled?); make sure it uses AOF everysec and maxmemory-policy noeviction',
    );
    return warnings;
  }
  for (const warning of warnings) log.warn(warning);
  return warnings;
}
