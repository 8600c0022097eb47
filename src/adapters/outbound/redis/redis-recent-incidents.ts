import type { RecentIncidents } from '../../../app/ports/recent-incidents';
import { keySpace, type KeySpace, type RedisClient } from './key-space';

/**
 * One sorted set per service and opener (`recent:<opener>:<service>`, scored by opening time),
 * trimmed to the window on every write and expiring after it: a lookup reads a handful of ids,
 * never the open set.
 */
export class RedisRecentIncidents implements RecentIncidents {
  private readonly keys: KeySpace;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = keySpace(redis, prefix);
  }

  private key(service: string, opener: string): string {
    return this.keys.key(`recent:${opener}:${service.slice(0, 200)}`);
  }

  async remember(entry: { service: string; opener: 'person' | 'alert'; incidentId: string; openedAt: number }, windowMs: number) {
    const key = this.key(entry.service, entry.opener);
    await this.redis
      .multi()
      .zadd(key, entry.openedAt, entry.incidentId)
      .zremrangebyscore(key, '-inf', `(${entry.openedAt - windowMs}`)
      .pexpire(key, windowMs)
      .exec();
  }

  async since(service: string, opener: 'person' | 'alert', since: number): Promise<string[]> {
    return this.redis.zrevrangebyscore(this.key(service, opener), '+inf', since);
  }
}
