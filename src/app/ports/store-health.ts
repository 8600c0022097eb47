/** Whether the one store answers now: asked before work that cannot be done without it. */
export interface StoreHealth {
  /** True when the store answered within `timeoutMs`. */
  reachable(timeoutMs: number): Promise<boolean>;
}
