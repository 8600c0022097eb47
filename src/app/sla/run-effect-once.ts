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
