import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { Env } from '../../../config/env-schema';
import type { RedisClient } from './key-space';

export type RedisTarget = Pick<Env, 'REDIS_URL' | 'REDIS_CLUSTER_NODES' | 'REDIS_SENTINELS' | 'REDIS_SENTINEL_MASTER' | 'REDIS_PASSWORD'>;

// A command waits through two reconnects at most, then fails: a person gets an answer and an
// alert sender a 503 to retry, instead of both hanging through a long outage.
const COMMAND_OPTIONS: RedisOptions = { maxRetriesPerRequest: 2, enableOfflineQueue: true };

/**
 * The one place a Redis connection is made: a Cluster (REDIS_CLUSTER_NODES), a primary found
 * through Sentinel (REDIS_SENTINELS + REDIS_SENTINEL_MASTER), or one server (REDIS_URL).
 * The bot holds no blocking or subscriber connection, so this one serves everything.
 */
export function connectRedis(target: RedisTarget, overrides: RedisOptions = {}): RedisClient {
  const password = target.REDIS_PASSWORD;
  if (target.REDIS_CLUSTER_NODES) {
    const options: ClusterOptions = {
      // Reads from the primaries only: a replica may not have the write just made (read-your-writes).
      scaleReads: 'master',
      enableReadyCheck: true,
      // A primary that died is replaced by its replica within the cluster's node timeout; keep asking.
      clusterRetryStrategy: (times) => Math.min(100 * times, 2_000),
      retryDelayOnFailover: 200,
      retryDelayOnClusterDown: 300,
      redisOptions: { ...COMMAND_OPTIONS, ...(password ? { password } : {}), ...overrides },
    };
    return new Cluster(target.REDIS_CLUSTER_NODES, options);
  }
  if (target.REDIS_SENTINELS) {
    return reviveAfterFailedReconnect(
      new Redis({
        ...COMMAND_OPTIONS,
        sentinels: target.REDIS_SENTINELS,
        name: target.REDIS_SENTINEL_MASTER!,
        ...(password ? { password } : {}),
        // Sentinels announce a new primary (+switch-master): reconnect to it at once rather than
        // waiting for the old one's socket to fail.
        failoverDetector: true,
        sentinelRetryStrategy: (times) => Math.min(100 * times, 1_000),
        retryStrategy: (times) => Math.min(100 * times, 1_000),
        // A demoted primary that still has our socket answers writes with READONLY: reconnect
        // (Sentinel names the new primary) and resend the command.
        reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
        ...overrides,
      }),
    );
  }
  return new Redis(target.REDIS_URL, { ...COMMAND_OPTIONS, ...overrides });
}

/**
 * A Sentinel client must never give up. ioredis ends a client for good ("Connection is closed"
 * on every later command) when its failover detector hears +switch-master while a reconnect is
 * still asking the sentinels: the detector's disconnect makes that connect attempt fail, and a
 * failed connect is final. Seen in a failover test under load. Here an end nobody asked for
 * (disconnect or quit) starts a new connect; Sentinel names the current primary.
 */
export function reviveAfterFailedReconnect(redis: Redis, delayMs = 200): Redis {
  let closedOnPurpose = false;
  const disconnect = redis.disconnect.bind(redis);
  const quit = redis.quit.bind(redis);
  redis.disconnect = (reconnect = false) => {
    if (!reconnect) closedOnPurpose = true;
    disconnect(reconnect);
  };
  redis.quit = ((...args: Parameters<Redis['quit']>) => {
    closedOnPurpose = true;
    return quit(...args);
  }) as Redis['quit'];
  redis.on('end', () => {
    if (closedOnPurpose) return;
    setTimeout(() => {
      if (!closedOnPurpose && redis.status === 'end') redis.connect().catch(() => undefined);
    }, delayMs).unref();
  });
  return redis;
}

/** Where the bot stores its data, for logs and messages (never the password). */
export function describeRedisTarget(target: RedisTarget): string {
  const list = (nodes: { host: string; port: number }[]) => nodes.map((n) => `${n.host}:${n.port}`).join(',');
  if (target.REDIS_CLUSTER_NODES) return `Redis Cluster ${list(target.REDIS_CLUSTER_NODES)}`;
  if (target.REDIS_SENTINELS) return `Redis primary "${target.REDIS_SENTINEL_MASTER}" via Sentinel ${list(target.REDIS_SENTINELS)}`;
  return `Redis ${target.REDIS_URL.replace(/\/\/[^@/]*@/, '//')}`;
}
