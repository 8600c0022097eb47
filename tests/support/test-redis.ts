import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A real Redis connection with a key prefix unique to this test run; cleanup() deletes every key under it. */
export async function createTestRedis(label = 'test'): Promise<{ redis: Redis; prefix: string; cleanup: () => Promise<void> }> {
  const prefix = `ibtest:${label}:${randomUUID().slice(0, 8)}:`;
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  const cleanup = async () => {
    await deleteKeys(redis, prefix);
    redis.disconnect();
  };
  return { redis, prefix, cleanup };
}

export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
}
