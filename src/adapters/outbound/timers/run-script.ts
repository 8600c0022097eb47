import { createHash } from 'node:crypto';
import type { RedisClient } from '../redis/key-space';

/**
 * A Lua script run by SHA, loaded on first use or after a Redis restart (NOSCRIPT). On a Cluster
 * it runs on the primary owning its first key's slot (each primary has its own script cache), so
 * every key it is given must hash to that slot: callers name them with one hash tag.
 */
export class LuaScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: RedisClient, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
