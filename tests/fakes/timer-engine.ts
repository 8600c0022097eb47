import type { ScheduledTimer, ScheduleOutcome, TimerEngine, TimerHandler, TimerInput } from '../../src/app/ports/timer-engine';

/**
 * Timers in memory: a key scheduled twice is kept once, a fired key is never scheduled again, and a
 * handler that throws gives its timer back (same key, due after the engine's backoff, next attempt).
 */
export class FakeTimerEngine implements TimerEngine {
  readonly timers = new Map<string, ScheduledTimer>();
  readonly fired = new Set<string>();
  /** Deliveries so far of each timer given back after a failure. */
  readonly attempts = new Map<string, number>();
  handlers: Record<string, TimerHandler> = {};

  constructor(private readonly clock: () => number = () => 0) {}

  async schedule(timer: TimerInput): Promise<ScheduleOutcome> {
    if (this.fired.has(timer.key)) return 'fired';
    if (this.timers.has(timer.key)) return 'exists';
    this.timers.set(timer.key, { ...timer, scheduledAt: this.clock() });
    return 'scheduled';
  }

  async cancel(key: string): Promise<boolean> {
    this.attempts.delete(key);
    return this.timers.delete(key);
  }

  async cancelByPrefix(keyPrefix: string): Promise<number> {
    const keys = [...this.timers.keys()].filter((k) => k.startsWith(keyPrefix));
    for (const k of keys) {
      this.timers.delete(k);
      this.attempts.delete(k);
    }
    return keys.length;
  }

  cancelIncident(incidentId: string): Promise<number> {
    return this.cancelByPrefix(`${incidentId}:`);
  }

  async list(keyPrefix = ''): Promise<ScheduledTimer[]> {
    return [...this.timers.values()].filter((t) => t.key.startsWith(keyPrefix)).sort((a, b) => a.dueAt - b.dueAt);
  }

  start(handlers: Record<string, TimerHandler>): void {
    this.handlers = handlers;
  }

  async stop(): Promise<void> {}

  /**
   * Fires one timer now through its handler, as the engine would (on time). When the handler throws,
   * the timer is given back due after backoff (1 s doubling, at most 60 s) and the error rethrown.
   */
  async fire(key: string): Promise<void> {
    const timer = this.timers.get(key);
    if (!timer) throw new Error(`no timer ${key}`);
    const handler = this.handlers[timer.kind];
    if (!handler) throw new Error(`no handler for ${timer.kind}`);
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    this.timers.delete(key);
    try {
      await handler(timer, { late: false, lateByMs: 0, attempt, fencingToken: attempt });
    } catch (error) {
      this.attempts.set(key, attempt);
      this.timers.set(key, { ...timer, dueAt: this.clock() + Math.min(60_000, 1_000 * 2 ** (attempt - 1)) });
      throw error;
    }
    this.attempts.delete(key);
    this.fired.add(key);
  }

  /** Fires every timer due by now (and those they schedule due by now), oldest first; a failing one stays for its retry. */
  async fireDue(prefix = ''): Promise<void> {
    const seen = new Set<string>();
    for (;;) {
      const next = (await this.list(prefix)).find((t) => t.dueAt <= this.clock() && !seen.has(t.key));
      if (!next) return;
      seen.add(next.key);
      await this.fire(next.key).catch(() => {});
    }
  }

  /** Kinds of the timers scheduled, in due order. */
  async kinds(prefix = ''): Promise<string[]> {
    return (await this.list(prefix)).map((t) => t.kind);
  }
}
