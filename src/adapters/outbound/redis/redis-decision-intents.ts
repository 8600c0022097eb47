import type { DecisionIntent, DecisionIntentStore } from '../../../app/ports/decision-intents';
import { keySpace, type KeySpace, type RedisClient } from './key-space';

/**
 * One hash of intents (id → JSON) and one lease key per intent. Recording writes both in one
 * MULTI, so an intent is never there without its holder's lease; a replica takes an abandoned
 * one with SET NX on its lease, so exactly one replica applies it. On a Cluster all of them
 * share one hash tag, since a MULTI touches the hash and a lease together.
 */
export class RedisDecisionIntents implements DecisionIntentStore {
  private readonly keys: KeySpace;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = keySpace(redis, prefix);
  }

  private get hash(): string {
    return this.keys.tagged('decision-intents', 'rollback:decision-intents');
  }

  private lease(id: string): string {
    return this.keys.tagged('decision-intents', `rollback:decision-intent-lease:${id}`);
  }

  async record(intent: DecisionIntent, leaseMs: number): Promise<void> {
    const result = await this.redis
      .multi()
      .hset(this.hash, intent.id, JSON.stringify(intent))
      .set(this.lease(intent.id), 'held', 'PX', leaseMs)
      .exec();
    const failed = result?.find(([error]) => error);
    if (!result || failed) throw failed?.[0] ?? new Error('the intent was not stored');
  }

  async takeAbandoned(leaseMs: number, limit: number): Promise<DecisionIntent[]> {
    const taken: DecisionIntent[] = [];
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.hscan(this.hash, cursor, 'COUNT', 100);
      cursor = next;
      for (let i = 0; i < flat.length && taken.length < limit; i += 2) {
        if ((await this.redis.set(this.lease(flat[i]!), 'held', 'PX', leaseMs, 'NX')) === 'OK')
          taken.push(JSON.parse(flat[i + 1]!) as DecisionIntent);
      }
    } while (cursor !== '0' && taken.length < limit);
    return taken;
  }

  async done(id: string): Promise<void> {
    await this.redis.multi().hdel(this.hash, id).del(this.lease(id)).exec();
  }
}
