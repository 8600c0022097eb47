import type { KeySpace } from '../redis/key-space';

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

/** Every script of the engine touches several of these, so on a Cluster they share the `timers` hash tag. */
export function timerKeys(keys: KeySpace): TimerKeys {
  const key = (name: string) => keys.tagged('timers', `timers:${name}`);
  return {
    due: key('due'),
    leases: key('leases'),
    data: key('data'),
    fence: key('fence'),
    attempts: key('attempts'),
    seq: key('seq'),
    fired: key('fired'),
    dead: key('dead'),
  };
}
