/** Every Redis key the timer engine touches, under the configured prefix. */
export interface TimerKeys {
  /** ZSET key → dueAt (or retryAt): waiting to be claimed. */
  due: string;
  /** ZSET key → lease expiry: claimed by a live worker; any replica reclaims it once expired. */
  leases: string;
  /** HASH key → timer JSON: present while the timer exists (due or leased). */
  data: string;
  /** HASH key → fencing token of the current lease. */
  fence: string;
  /** HASH key → deliveries so far. */
  attempts: string;
  /** Counter that issues fencing tokens. */
  seq: string;
  /** ZSET key → completion time: tombstones so a re-plan cannot schedule a fired timer again. */
  fired: string;
  /** HASH key → JSON of a timer that failed maxAttempts times (kept for an operator). */
  dead: string;
}

export function timerKeys(prefix: string): TimerKeys {
  const base = `${prefix}timers:`;
  return {
    due: `${base}due`,
    leases: `${base}leases`,
    data: `${base}data`,
    fence: `${base}fence`,
    attempts: `${base}attempts`,
    seq: `${base}seq`,
    fired: `${base}fired`,
    dead: `${base}dead`,
  };
}
