import type { PostQueue } from '../../../app/ports/post-queue';
import { keySpace, type KeySpace, type RedisClient } from './key-space';

const REPLACE_HEAD = `
local head = redis.call('LINDEX', KEYS[1], 0)
if head and cjson.decode(head).id == ARGV[1] then redis.call('LSET', KEYS[1], 0, ARGV[2]) return 1 end
return 0`;
const REMOVE_HEAD = `
local head = redis.call('LINDEX', KEYS[1], 0)
if head and cjson.decode(head).id == ARGV[1] then redis.call('LPOP', KEYS[1]) return 1 end
return 0`;

/** One Redis list per incident (order), and a set naming the incidents that have one (the sweep). */
export class RedisPostQueue<T extends { id: string }> implements PostQueue<T> {
  private readonly keys: KeySpace;
  private readonly lockToken = `${process.pid}:${Math.random().toString(36).slice(2)}`;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    private readonly name: string,
  ) {
    this.keys = keySpace(redis, prefix);
  }

  private list(incidentId: string): string {
    return this.keys.key(`${this.name}:${incidentId}`);
  }

  private get index(): string {
    return this.keys.key(`${this.name}:incidents`);
  }

  async push(incidentId: string, items: readonly T[]): Promise<void> {
    if (!items.length) return;
    // Indexed first: a crash between the two leaves an empty entry the sweep drops, never a lost queue.
    await this.redis.sadd(this.index, incidentId);
    await this.redis.rpush(this.list(incidentId), ...items.map((i) => JSON.stringify(i)));
  }

  size(incidentId: string): Promise<number> {
    return this.redis.llen(this.list(incidentId));
  }

  async head(incidentId: string): Promise<T | null> {
    const raw = await this.redis.lindex(this.list(incidentId), 0);
    if (raw) return JSON.parse(raw) as T;
    await this.redis.srem(this.index, incidentId);
    // A push that raced the removal re-indexes itself.
    if ((await this.size(incidentId)) > 0) await this.redis.sadd(this.index, incidentId);
    return null;
  }

  async replaceHead(incidentId: string, item: T): Promise<void> {
    await this.redis.eval(REPLACE_HEAD, 1, this.list(incidentId), item.id, JSON.stringify(item));
  }

  async removeHead(incidentId: string, itemId: string): Promise<void> {
    await this.redis.eval(REMOVE_HEAD, 1, this.list(incidentId), itemId);
  }

  incidents(): Promise<string[]> {
    return this.redis.smembers(this.index);
  }

  async lock(incidentId: string, ms: number): Promise<boolean> {
    return (await this.redis.set(this.keys.key(`${this.name}-lock:${incidentId}`), this.lockToken, 'PX', ms, 'NX')) === 'OK';
  }

  async unlock(incidentId: string): Promise<void> {
    const key = this.keys.key(`${this.name}-lock:${incidentId}`);
    await this.redis.eval(
      `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`,
      1,
      key,
      this.lockToken,
    );
  }
}
