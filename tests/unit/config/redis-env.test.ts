import { describe, expect, it } from 'vitest';
import { connectRedis, describeRedisTarget } from '../../../src/adapters/outbound/redis/connect-redis';
import { keySpace } from '../../../src/adapters/outbound/redis/key-space';
import { loadConfig } from '../../../src/config/load-config';

const load = (env: Record<string, string>) => loadConfig({ env, file: {} });

describe('Redis environment: one server, Cluster or Sentinel', () => {
  it('parses REDIS_CLUSTER_NODES and REDIS_SENTINELS as host:port lists', () => {
    const cluster = load({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, 10.0.0.2:7001,[::1]:7002' });
    expect(cluster.ok && cluster.config.env.REDIS_CLUSTER_NODES).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: '10.0.0.2', port: 7001 },
      { host: '::1', port: 7002 },
    ]);
    const sentinel = load({ REDIS_SENTINELS: 's1:26379,s2:26379', REDIS_SENTINEL_MASTER: 'mymaster' });
    expect(sentinel.ok && sentinel.config.env).toMatchObject({
      REDIS_SENTINELS: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
      ],
      REDIS_SENTINEL_MASTER: 'mymaster',
    });
  });

  it.each([
    [
      { REDIS_CLUSTER_NODES: 'a:7000', REDIS_SENTINELS: 's:26379', REDIS_SENTINEL_MASTER: 'm' },
      'REDIS_CLUSTER_NODES and REDIS_SENTINELS are both set',
    ],
    [{ REDIS_SENTINELS: 's:26379' }, 'REDIS_SENTINELS is set but REDIS_SENTINEL_MASTER is not'],
    [{ REDIS_SENTINEL_MASTER: 'm' }, 'REDIS_SENTINEL_MASTER is set but REDIS_SENTINELS is not'],
    [{ REDIS_CLUSTER_NODES: 'a:7000,nohost' }, 'env REDIS_CLUSTER_NODES: "nohost" is not host:port'],
    [{ REDIS_SENTINELS: 'a:99999', REDIS_SENTINEL_MASTER: 'm' }, '"a:99999" is not host:port'],
    [{ REDIS_PREFIX: 'bot{1}:' }, 'REDIS_PREFIX: must not contain { or }'],
  ])('refuses %j naming the variables', (env, message) => {
    const result = load(env);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.join('\n')).toContain(message);
  });

  it('makes a Cluster or a Sentinel client from the env, and says where without the password', () => {
    const cluster = connectRedis({ REDIS_URL: 'redis://x', REDIS_CLUSTER_NODES: [{ host: '127.0.0.1', port: 1 }] }, { lazyConnect: true });
    const sentinel = connectRedis(
      { REDIS_URL: 'redis://x', REDIS_SENTINELS: [{ host: '127.0.0.1', port: 1 }], REDIS_SENTINEL_MASTER: 'm' },
      { lazyConnect: true },
    );
    try {
      expect(cluster.isCluster).toBe(true);
      expect(sentinel.isCluster).toBe(false);
      expect(keySpace(cluster, 'p:').tagged('timers', 'timers:due')).toBe('p:{timers}:timers:due');
      expect(keySpace(sentinel, 'p:').tagged('timers', 'timers:due')).toBe('p:timers:due');
    } finally {
      cluster.disconnect();
      sentinel.disconnect();
    }
    expect(describeRedisTarget({ REDIS_URL: 'redis://:secret@db:6379/0' })).toBe('Redis redis://db:6379/0');
    expect(describeRedisTarget({ REDIS_URL: 'x', REDIS_SENTINELS: [{ host: 's', port: 26379 }], REDIS_SENTINEL_MASTER: 'm' })).toBe(
      'Redis primary "m" via Sentinel s:26379',
    );
  });
});
