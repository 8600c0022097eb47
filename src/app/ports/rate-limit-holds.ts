/**
 * Holds set by a vendor's Retry-After, shared by every replica: when one replica is told to
 * wait, none of them calls that scope again until the hold ends.
 */
export interface RateLimitHolds {
  /** Holds every scope for at least `ms` from now (a longer hold already there is kept). */
  hold(scopes: readonly string[], ms: number): Promise<void>;
  /** The longest time left on any of `scopes`, in ms; 0 when none is held. */
  remainingMs(scopes: readonly string[]): Promise<number>;
}
