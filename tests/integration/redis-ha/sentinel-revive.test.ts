import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../../src/adapters/outbound/redis/connect-redis';
import { startSentinel, waitFor, type TestSentinel } from '../../support/redis-servers';

// ioredis ends a Sentinel client for good when its failover detector disconnects while a reconnect
// is still asking the sentinels (a failover test met it under load: "Connection is closed" on
// every command after the failover). The bot's client starts over instead.
let sentinel: TestSentinel;
const clients: Redis[] = [];
beforeAll(async () => {
  sentinel = await startSentinel('ibrevive');
}, 120_000);
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await sentinel?.stop();
});

function client(): Redis {
  const redis = connectRedis({
    REDIS_URL: 'redis://unused',
    REDIS_SENTINELS: sentinel.sentinels.map((s) => ({ host: '127.0.0.1', port: s.port })),
    REDIS_SENTINEL_MASTER: sentinel.master,
  }) as Redis;
  redis.on('error', () => undefined);
  clients.push(redis);
  return redis;
}

/** The connection drops; the reconnect starts asking the sentinels; the failover detector's disconnect lands meanwhile. */
async function detectorDisconnectsDuringReconnect(redis: Redis): Promise<void> {
  const connector = (redis as unknown as { connector: { disconnect(): void } }).connector;
  const ended = new Promise<void>((resolve) => redis.once('end', () => resolve()));
  redis.once('connecting', () => setImmediate(() => connector.disconnect()));
  (redis as unknown as { stream: { destroy(): void } }).stream.destroy();
  await ended;
}

describe('a Sentinel client whose reconnect is cut short', () => {
  it('connects again and answers commands', { timeout: 30_000 }, async () => {
    const redis = client();
    await waitFor('ready', async () => (await redis.ping()) === 'PONG', 20_000);
    await detectorDisconnectsDuringReconnect(redis);
    await waitFor('answering again', async () => (await redis.ping().catch(() => null)) === 'PONG', 20_000);
    expect(await redis.set('ibtest:revive', '1', 'PX', 5_000)).toBe('OK');
  });

  it('stays closed after disconnect() or quit(): closing on purpose is not revived', { timeout: 30_000 }, async () => {
    for (const close of [(r: Redis) => r.disconnect(), (r: Redis) => void r.quit()]) {
      const redis = client();
      await waitFor('ready', async () => (await redis.ping()) === 'PONG', 20_000);
      const ended = new Promise<void>((resolve) => redis.once('end', () => resolve()));
      close(redis);
      await ended;
      await new Promise((r) => setTimeout(r, 600));
      expect(redis.status).toBe('end');
    }
  });
});
