import type { IdempotencyMarks } from '../../../app/ports/run-once';
import type { RedisClient } from './key-space';
import { runOnce, type RunOnceOptions, type RunOnceResult } from '../timers/run-once';

/** Idempotency records: the first caller of a key wins; later callers see what it stored. */
export class RedisIdempotency implements IdempotencyMarks {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private key(name: string): string {
    return `${this.prefix}idem:${name}`;
  }

  /** True for the first claim of `name` within `ttlMs`; false for every later one. */
  async claim(name: string, ttlMs: number, value = '1'): Promise<boolean> {
    return (await this.redis.set(this.key(name), value, 'PX', ttlMs, 'NX')) === 'OK';
  }

  async get(name: string): Promise<string | null> {
    return this.redis.get(this.key(name));
  }

  async set(name: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.key(name), value, 'PX', ttlMs);
  }

  /** runOnce under this store's prefix: an effect done once across replicas and retries (see run-once.ts). */
  once<T>(effectKey: string, ttlMs: number, fn: () => Promise<T>, options: RunOnceOptions = {}): Promise<RunOnceResult<T>> {
    return runOnce(this.redis, this.prefix, effectKey, ttlMs, fn, options);
  }

  /** Gives a claim back so a later attempt can do the work (the first one failed). */
  async release(name: string): Promise<void> {
    await this.redis.del(this.key(name));
  }
}
