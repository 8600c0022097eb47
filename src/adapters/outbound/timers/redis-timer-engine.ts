import { systemClock, type Clock } from '../../../domain/clock';
import type { Logger } from '../../../logger';
import { confirmReplicated } from '../redis/confirm-replicated';
import { keySpace, type RedisClient } from '../redis/key-space';
import type { ScheduledTimer, ScheduleOutcome, TimerEngine, TimerHandler, TimerInput } from '../../../app/ports/timer-engine';
import { timerKeys, type TimerKeys } from './timer-keys';
import { CANCEL, CLAIM, COMPLETE, EXTEND, RELEASE, SCHEDULE } from './timer-scripts';

export interface RedisTimerEngineOptions {
  redis: RedisClient;
  /** Key prefix shared with the rest of the bot; timers live under `<prefix>timers:` (`<prefix>{timers}:timers:` on a Cluster). */
  prefix: string;
  logger: Logger;
  clock?: Clock;
  /** Longest sleep between claims when nothing is due sooner (default 500 ms). */
  pollMs?: number;
  /** How long a claim is exclusive; a dead worker's timers are reclaimed after this (default 3 s). */
  leaseMs?: number;
  /** Handlers running at once in this process (default 16). */
  concurrency?: number;
  /** Deliveries before a failing timer is dead-lettered (default 10). */
  maxAttempts?: number;
  /** First retry delay after a handler throws; doubles per attempt up to retryMaxMs (defaults 1 s, 60 s). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** A fire later than this counts as `late` (default 2 s). */
  lateAfterMs?: number;
  /** How long a fired key is remembered so re-planning does not schedule it again (default 30 days). */
  firedTtlMs?: number;
}

interface Claimed {
  key: string;
  token: string;
  attempt: number;
  timer: ScheduledTimer;
}

/**
 * Timers in a Redis sorted set, claimed under leases (see docs/timers.md).
 * 1. Scheduling is idempotent by key; a key that already fired is not scheduled again.
 * 2. A claim moves a due timer into the lease set with an expiry and a fencing token, atomically.
 * 3. Only the current lease holder completes or releases it; completion records a tombstone.
 * 4. An expired lease (its owner died) is claimed by any replica, before newer due timers.
 * 5. A handler that throws gives the timer back with exponential backoff, dead-lettered after maxAttempts.
 * Delivery is at-least-once; effects use runOnce() to happen once.
 */
export class RedisTimerEngine implements TimerEngine {
  private readonly redis: RedisClient;
  private readonly keys: TimerKeys;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly lateAfterMs: number;
  private readonly firedTtlMs: number;

  private handlers: Record<string, TimerHandler> = {};
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly inflight = new Set<Promise<void>>();
  private sleepTimer: NodeJS.Timeout | null = null;
  private wakeSleeper: (() => void) | null = null;
  private wakeAt = Infinity;
  /** wake() arrived while the loop was busy claiming: its next sleep must not happen. */
  private pendingWake = false;

  constructor(options: RedisTimerEngineOptions) {
    this.redis = options.redis;
    this.keys = timerKeys(keySpace(options.redis, options.prefix));
    this.log = options.logger.child({ component: 'timers' });
    this.clock = options.clock ?? systemClock;
    this.pollMs = options.pollMs ?? 500;
    this.leaseMs = options.leaseMs ?? 3_000;
    this.concurrency = options.concurrency ?? 16;
    this.maxAttempts = options.maxAttempts ?? 10;
    this.retryBaseMs = options.retryBaseMs ?? 1_000;
    this.retryMaxMs = options.retryMaxMs ?? 60_000;
    this.lateAfterMs = options.lateAfterMs ?? 2_000;
    this.firedTtlMs = options.firedTtlMs ?? 30 * 86_400_000;
  }

  async schedule(input: TimerInput): Promise<ScheduleOutcome> {
    const timer: ScheduledTimer = {
      key: input.key,
      kind: input.kind,
      dueAt: input.dueAt,
      payload: input.payload,
      scheduledAt: this.clock(),
    };
    const k = this.keys;
    const outcome = (await SCHEDULE.run(
      this.redis,
      [k.due, k.data, k.fired],
      [timer.key, timer.dueAt, JSON.stringify(timer)],
    )) as ScheduleOutcome;
    // A timer due before the loop's next planned wake-up should not wait for the poll.
    if (outcome === 'scheduled' && (!this.wakeSleeper || timer.dueAt < this.wakeAt)) this.wake();
    return outcome;
  }

  async cancel(key: string): Promise<boolean> {
    return (await this.cancelKeys([key])) > 0;
  }

  async cancelByPrefix(keyPrefix: string): Promise<number> {
    const timers = await this.list(keyPrefix);
    return this.cancelKeys(timers.map((t) => t.key));
  }

  cancelIncident(incidentId: string): Promise<number> {
    return this.cancelByPrefix(`${incidentId}:`);
  }

  /** Timers that exist (waiting or in flight) whose key starts with keyPrefix; the input for diffTimers(). */
  async list(keyPrefix = ''): Promise<ScheduledTimer[]> {
    const found: ScheduledTimer[] = [];
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.hscan(this.keys.data, cursor, 'MATCH', `${escapeGlob(keyPrefix)}*`, 'COUNT', 500);
      cursor = next;
      for (let i = 1; i < flat.length; i += 2) found.push(JSON.parse(flat[i]!) as ScheduledTimer);
    } while (cursor !== '0');
    return found.sort((a, b) => a.dueAt - b.dueAt || a.key.localeCompare(b.key));
  }

  start(handlers: Record<string, TimerHandler>): void {
    if (this.running) throw new Error('RedisTimerEngine already started');
    this.handlers = handlers;
    this.running = true;
    this.loop = this.runLoop();
  }

  /**
   * Stops claiming and waits (at most drainMs) for handlers in flight; one still running after that
   * keeps its lease while this process lives, and is reclaimed by another replica once it exits.
   */
  async stop(drainMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake();
    await this.loop;
    this.loop = null;
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, drainMs)));
    await Promise.race([Promise.allSettled([...this.inflight]), gaveUp]);
    clearTimeout(timer);
    if (this.inflight.size) this.log.warn({ inflight: this.inflight.size }, 'stopped with timer handlers still running');
  }

  private async cancelKeys(keys: string[]): Promise<number> {
    if (keys.length === 0) return 0;
    const k = this.keys;
    let removed = 0;
    for (let i = 0; i < keys.length; i += 500) {
      removed += Number(await CANCEL.run(this.redis, [k.due, k.leases, k.data, k.fence, k.attempts], keys.slice(i, i + 500)));
    }
    return removed;
  }

  private async runLoop(): Promise<void> {
    while (this.running) {
      let sleepMs = this.pollMs;
      const free = this.concurrency - this.inflight.size;
      if (free > 0) {
        try {
          const { claimed, nextAt } = await this.claim(free);
          for (const c of claimed) this.launch(c);
          // Full batch: more may be due, so go again as soon as a slot frees (launch wakes us).
          if (claimed.length < free && nextAt !== null) sleepMs = Math.min(this.pollMs, Math.max(1, nextAt - this.clock()));
        } catch (err) {
          this.log.warn({ err }, 'timer claim failed (is Redis reachable?); retrying after the poll interval');
        }
      }
      if (this.running) await this.sleep(sleepMs);
    }
  }

  private async claim(limit: number): Promise<{ claimed: Claimed[]; nextAt: number | null }> {
    const k = this.keys;
    const reply = (await CLAIM.run(
      this.redis,
      [k.due, k.leases, k.data, k.fence, k.attempts, k.seq],
      [this.clock(), this.leaseMs, limit],
    )) as [string[], string, string];
    const [flat, nextDue, nextLease] = reply;
    const claimed: Claimed[] = [];
    for (let i = 0; i < flat.length; i += 4) {
      claimed.push({ key: flat[i]!, token: flat[i + 1]!, attempt: Number(flat[i + 2]), timer: JSON.parse(flat[i + 3]!) as ScheduledTimer });
    }
    const candidates = [nextDue, nextLease].filter((s) => s !== '').map(Number);
    return { claimed, nextAt: candidates.length ? Math.min(...candidates) : null };
  }

  private launch(claimed: Claimed): void {
    const run = this.fire(claimed).finally(() => {
      this.inflight.delete(run);
      this.wake();
    });
    this.inflight.add(run);
  }

  private async fire({ key, token, attempt, timer }: Claimed): Promise<void> {
    const k = this.keys;
    const lateByMs = Math.max(0, this.clock() - timer.dueAt);
    const log = this.log.child({ timer: key, attempt });
    // Heartbeat: a slow handler (Slack having a bad minute) keeps its lease instead of being fired twice.
    const heartbeat = setInterval(
      () => {
        EXTEND.run(this.redis, [k.leases, k.fence], [key, token, this.clock() + this.leaseMs]).then(
          (kept) => kept === 0 && log.warn('lease lost while the handler runs (cancelled or reclaimed)'),
          (err: unknown) => log.warn({ err }, 'lease heartbeat failed'),
        );
      },
      Math.max(50, Math.floor(this.leaseMs / 3)),
    );
    try {
      const handler = this.handlers[timer.kind];
      if (!handler) throw new Error(`no handler registered for timer kind "${timer.kind}"`);
      await handler(timer, { late: lateByMs > this.lateAfterMs, lateByMs, attempt, fencingToken: Number(token) });
      clearInterval(heartbeat);
      const done = await COMPLETE.run(
        this.redis,
        [k.leases, k.data, k.fence, k.attempts, k.fired],
        [key, token, this.clock(), this.firedTtlMs],
      );
      if (Number(done) === 0) log.warn('timer finished after losing its lease; its effect must be idempotent (runOnce)');
      // A completion lost in a failover would fire the timer again.
      else await confirmReplicated(this.redis);
    } catch (err) {
      clearInterval(heartbeat);
      await this.release(key, token, attempt, timer, err, log);
    }
  }

  private async release(key: string, token: string, attempt: number, timer: ScheduledTimer, err: unknown, log: Logger): Promise<void> {
    const k = this.keys;
    const retryAt = this.clock() + Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** (attempt - 1));
    const error = err instanceof Error ? err.message : String(err);
    const dead = JSON.stringify({ ...timer, attempts: attempt, error, deadAt: this.clock() });
    try {
      const outcome = await RELEASE.run(
        this.redis,
        [k.due, k.leases, k.data, k.fence, k.attempts, k.dead],
        [key, token, retryAt, this.maxAttempts, dead],
      );
      if (outcome === 'dead')
        log.error({ err }, `timer failed ${attempt} times and was dead-lettered under ${k.dead}; fix the handler and reschedule it`);
      else log.warn({ err, retryAt }, 'timer handler failed; it will be retried');
    } catch (releaseErr) {
      // Redis unreachable: the lease simply expires and any replica retries the timer.
      log.error({ err, releaseErr }, 'timer handler failed and could not be released; it is retried when its lease expires');
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.pendingWake) {
      this.pendingWake = false;
      return Promise.resolve();
    }
    this.wakeAt = this.clock() + ms;
    return new Promise((resolve) => {
      this.wakeSleeper = resolve;
      this.sleepTimer = setTimeout(() => this.wake(), ms);
    });
  }

  private wake(): void {
    if (this.sleepTimer) clearTimeout(this.sleepTimer);
    this.sleepTimer = null;
    this.wakeAt = -Infinity;
    const resolve = this.wakeSleeper;
    this.wakeSleeper = null;
    if (resolve) resolve();
    else this.pendingWake = true;
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
