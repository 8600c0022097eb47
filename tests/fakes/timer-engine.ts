import type { ScheduledTimer, ScheduleOutcome, TimerEngine, TimerHandler, TimerInput } from '../../src/app/ports/timer-engine';

/** Timers in memory: a key scheduled twice is kept once, a fired key is never scheduled again. */
export class FakeTimerEngine implements TimerEngine {
  readonly timers = new Map<string, ScheduledTimer>();
  readonly fired = new Set<string>();
  handlers: Record<string, TimerHandler> = {};

  constructor(private readonly clock: () => number = () => 0) {}

  async schedule(timer: TimerInput): Promise<ScheduleOutcome> {
    if (this.fired.has(timer.key)) return 'fired';
    if (this.timers.has(timer.key)) return 'exists';
    this.timers.set(timer.key, { ...timer, scheduledAt: this.clock() });
    return 'scheduled';
  }

  async cancel(key: string): Promise<boolean> {
    return this.timers.delete(key);
  }

  async cancelByPrefix(keyPrefix: string): Promise<number> {
    const keys = [...this.timers.keys()].filter((k) => k.startsWith(keyPrefix));
    for (const k of keys) this.timers.delete(k);
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

  /** Fires one timer now through its handler, as the engine would (attempt 1, on time). */
  async fire(key: string): Promise<void> {
    const timer = this.timers.get(key);
    if (!timer) throw new Error(`no timer ${key}`);
    this.timers.delete(key);
    this.fired.add(key);
    const handler = this.handlers[timer.kind];
    if (!handler) throw new Error(`no handler for ${timer.kind}`);
    await handler(timer, { late: false, lateByMs: 0, attempt: 1, fencingToken: 1 });
  }

  /** Kinds of the timers scheduled, in due order. */
  async kinds(prefix = ''): Promise<string[]> {
    return (await this.list(prefix)).map((t) => t.kind);
  }
}
