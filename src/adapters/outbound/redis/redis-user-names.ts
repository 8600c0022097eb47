import type { RedisClient } from './key-space';

/**
 * People's names as looked up in Slack, kept in Redis for a while: every replica and every
 * restart reuses them instead of asking `users.info` again for each render.
 */
export class RedisUserNames {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private key(id: string): string {
    return `${this.prefix}user-name:${id}`;
  }

  async get(id: string): Promise<string | null> {
    return this.redis.get(this.key(id));
  }

  async set(id: string, name: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.key(id), name, 'PX', ttlMs);
  }
}
