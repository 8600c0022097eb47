import type { Cluster, Redis } from 'ioredis';

/** Any connection the stores use: one server (alone or behind Sentinel) or a Cluster. */
export type RedisClient = Redis | Cluster;

/**
 * Names every key. Keys that one Lua script or MULTI touches together must live in one
 * Cluster slot, so on a Cluster they carry a shared hash tag: `<prefix>{<tag>}:<name>`.
 * On a single server (alone or behind Sentinel) slots do not exist and a key is
 * `<prefix><name>`, exactly the names written before Cluster support: an upgrade, or a
 * move from one server to Sentinel, reads the data already there without a migration.
 * Keys only ever touched alone keep the single-server name everywhere (`key`).
 */
export interface KeySpace {
  readonly prefix: string;
  readonly cluster: boolean;
  /** A key touched only on its own. */
  key(name: string): string;
  /** A key that shares a slot with every other key of `tag`. */
  tagged(tag: string, name: string): string;
}

export function keySpace(redis: RedisClient, prefix: string): KeySpace {
  const cluster = redis.isCluster;
  if (/[{}]/.test(prefix))
    throw new Error(`Redis key prefix "${prefix}" must not contain { or }: they would change which Cluster slot keys hash to`);
  return {
    prefix,
    cluster,
    key: (name) => `${prefix}${name}`,
    tagged: (tag, name) => (cluster ? `${prefix}{${tag}}:${name}` : `${prefix}${name}`),
  };
}
