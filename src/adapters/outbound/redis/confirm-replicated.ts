import type { Redis } from 'ioredis';
import type { RedisClient } from './key-space';

/** How long a write that matters waits for a replica before the bot goes on without it. */
const WAIT_MS = 250;

/**
 * Behind Sentinel, replication is asynchronous: a write the primary acknowledged can be lost
 * if the primary dies before a replica has it, and the promoted replica then lacks it. For
 * the writes the bot acts on at once (an incident created and announced, a rollback approved,
 * a timer or effect marked done) it waits, briefly, until a replica has them too; WAIT covers
 * every earlier write of this connection. With no replica in reach it gives up after WAIT_MS
 * and goes on: the write is on the primary, as it would be without Sentinel. On a single
 * server there is nothing to wait for; on a Cluster WAIT cannot be routed to the primary
 * that took the write, so it is not used there (see README, "Redis: single node, Sentinel or Cluster").
 */
export async function confirmReplicated(redis: RedisClient): Promise<void> {
  if (redis.isCluster || !(redis as Redis).options.sentinels?.length) return;
  await redis.wait(1, WAIT_MS).catch(() => undefined);
}
