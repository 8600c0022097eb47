import type { StoreHealth } from '../../../app/ports/store-health';
import type { RedisClient } from './key-space';

/** Redis answers a PING in time; a connection that is not ready fails at once instead of queueing. */
export class RedisStoreHealth implements StoreHealth {
  constructor(private readonly redis: RedisClient) {}

  async reachable(timeoutMs: number): Promise<boolean> {
    if (this.redis.status !== 'ready') return false;
    let timer: NodeJS.Timeout | undefined;
    try {
      const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
      return (await Promise.race([this.redis.ping().then(() => true as const), late])) === true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
