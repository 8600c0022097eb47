import type { IdempotencyMarks, RunEffectOnce } from '../../src/app/ports/run-once';

/** Marks in memory (no expiry: tests run within a TTL). */
export class FakeIdempotencyMarks implements IdempotencyMarks {
  readonly values = new Map<string, string>();
  async claim(name: string, _ttlMs: number, value = '1'): Promise<boolean> {
    if (this.values.has(name)) return false;
    this.values.set(name, value);
    return true;
  }
  async get(name: string): Promise<string | null> {
    return this.values.get(name) ?? null;
  }
  async set(name: string, value: string): Promise<void> {
    this.values.set(name, value);
  }
  async release(name: string): Promise<void> {
    this.values.delete(name);
  }
}

/** runOnce in memory: an effect key done once is never done again; a throwing effect is not marked done. */
export function fakeRunOnce(done = new Set<string>()): RunEffectOnce & { done: Set<string> } {
  const once = async (effectKey: string, fn: () => Promise<void>) => {
    if (done.has(effectKey)) return false;
    await fn();
    done.add(effectKey);
    return true;
  };
  return Object.assign(once, { done });
}
