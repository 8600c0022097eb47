/** A timer as scheduled: `key` is its identity (scheduling the same key twice keeps one). */
export interface TimerInput<P = unknown> {
  /** Unique id, conventionally "<incidentId>:<kind>:...:<dueAt>" so cancelIncident() finds it by prefix. */
  key: string;
  kind: string;
  /** Epoch ms. */
  dueAt: number;
  payload: P;
}

export interface ScheduledTimer<P = unknown> extends TimerInput<P> {
  scheduledAt: number;
}

export interface TimerContext {
  /** Fired later than the engine's lateness tolerance (e.g. it came due while every bot was down). */
  late: boolean;
  /** How long after dueAt the handler started. */
  lateByMs: number;
  /** 1 on the first delivery; higher after a failure or after a crashed owner's lease was reclaimed. */
  attempt: number;
  /** Increases with every claim: a stale owner's token is always lower than the current one. */
  fencingToken: number;
}

export type TimerHandler = (timer: ScheduledTimer, ctx: TimerContext) => Promise<void>;

export type ScheduleOutcome = 'scheduled' | 'exists' | 'fired';

/** The durable timers and jobs the use cases schedule; RedisTimerEngine implements it. */
export interface TimerEngine {
  schedule(timer: TimerInput): Promise<ScheduleOutcome>;
  cancel(key: string): Promise<boolean>;
  cancelByPrefix(keyPrefix: string): Promise<number>;
  cancelIncident(incidentId: string): Promise<number>;
  list(keyPrefix?: string): Promise<ScheduledTimer[]>;
  start(handlers: Record<string, TimerHandler>): void;
  stop(drainMs?: number): Promise<void>;
}
