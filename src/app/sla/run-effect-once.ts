/** Runs an effect at most once per key across replicas and redeliveries; resolves false when it was already done. */
export type RunEffectOnce = (effectKey: string, fn: () => Promise<void>) => Promise<boolean>;
