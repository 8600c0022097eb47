/**
 * Runs an effect at most once per key across replicas and redeliveries; resolves false when it was already done.
 * `alreadyHappened(startedAt)` looks the effect up where it lands (channel history, timeline); it is asked only
 * on a retry after an attempt that did not finish, so a crash between the effect and its "done" mark does not repeat it.
 */
export type RunEffectOnce = (
  effectKey: string,
  fn: () => Promise<void>,
  alreadyHappened?: (startedAt: number) => Promise<boolean>,
) => Promise<boolean>;

/** Marks remembered for a while across replicas (RedisIdempotency): the first claim of a name wins. */
export interface IdempotencyMarks {
  /** True for the first claim of `name` within `ttlMs`; false for every later one. */
  claim(name: string, ttlMs: number, value?: string): Promise<boolean>;
  get(name: string): Promise<string | null>;
  set(name: string, value: string, ttlMs: number): Promise<void>;
  /** Gives a claim back so a later attempt can do the work (the first one failed). */
  release(name: string): Promise<void>;
}
