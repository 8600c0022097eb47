import type { RunnerSpec } from './rollback-plan';

/** A step announced by the rollback itself (`::step 2/7 Restore git hooks`). */
export interface RollbackStep {
  index: number;
  total: number;
  label: string;
}

export interface RunProgress {
  step?: RollbackStep;
  message?: string;
  /** A page to follow the run (GitHub Actions run URL). */
  link?: string;
  elapsedMs: number;
}

export interface RunContext<S extends RunnerSpec = RunnerSpec> {
  spec: S;
  /** Values for `{name}` placeholders: incident_id, service, severity, previous_release, ... */
  placeholders: Record<string, string>;
  signal: AbortSignal;
  onProgress(progress: RunProgress): void;
  /** Which execution this is; handed to the runner so the far end can refuse a stale executor. */
  fence?: ExecutionFence;
}

/**
 * The execution's fencing token: it grows with every claim of a request, so whatever the runner
 * drives can remember the highest it has seen and refuse a lower or equal one (README, "Fencing").
 */
export interface ExecutionFence {
  requestId: string;
  token: number;
}

/** How the fence reaches each kind of runner. */
export const FENCE = {
  env: { token: 'INCIDENT_BOT_FENCING_TOKEN', request: 'INCIDENT_BOT_REQUEST_ID' },
  header: { token: 'x-incident-bot-fencing-token', request: 'x-incident-bot-request-id' },
} as const;

export type RunOutcome = 'succeeded' | 'failed' | 'timed_out' | 'cancelled';

export interface RunResult {
  outcome: RunOutcome;
  exitCode?: number | null;
  signal?: string | null;
  /** GitHub Actions conclusion (success, failure, cancelled, ...). */
  conclusion?: string;
  durationMs: number;
  /** Tail of the output, secrets replaced by [redacted]. */
  outputExcerpt: string;
  link?: string;
  error?: string;
}

/** The port the app drives; one adapter per runner kind. */
export interface RollbackRunner<S extends RunnerSpec = RunnerSpec> {
  run(ctx: RunContext<S>): Promise<RunResult>;
}
