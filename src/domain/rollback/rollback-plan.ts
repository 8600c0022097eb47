/**
 * A service's rollback plan as the runners see it: how to roll back (runners, the first
 * is primary, the rest fallbacks), how to tell it is safe to start (readiness, gate 2) and
 * how to tell it worked (verification, gate 3). Durations are milliseconds.
 */

/** The staged rollback levels (component, phase, full), each with its "time to execute" budget. */
export const ROLLBACK_LEVELS = {
  component: { label: 'Level 1: component', maxDurationMs: 5 * 60_000 },
  phase: { label: 'Level 2: phase', maxDurationMs: 30 * 60_000 },
  full: { label: 'Level 3: full', maxDurationMs: 2 * 3_600_000 },
} as const;
export type RollbackLevel = keyof typeof ROLLBACK_LEVELS;

/** Inclusive HTTP status range; a single status is { min: s, max: s }. */
export interface StatusRange {
  min: number;
  max: number;
}

export const DEFAULT_SUCCESS_STATUSES: StatusRange[] = [{ min: 200, max: 299 }];
export const DEFAULT_GRACE_MS = 5_000;
export const DEFAULT_OUTPUT_CAP_BYTES = 64 * 1024;

export interface CommandRunnerSpec {
  kind: 'command';
  name: string;
  /** argv[0] is executed directly (no shell); each element may hold `{placeholder}`s. */
  argv: string[];
  cwd?: string;
  /** The child's whole environment on top of the runner's base env; values are redacted from output. */
  env?: Record<string, string>;
  timeoutMs: number;
  /** Between SIGTERM and SIGKILL of the process group. */
  graceMs: number;
  /** How much of the output tail is kept for Slack and the timeline. */
  outputCapBytes: number;
}

export interface GitHubActionsRunnerSpec {
  kind: 'github_actions';
  name: string;
  owner: string;
  repo: string;
  /** Workflow file name (`rollback.yml`) or numeric id. */
  workflow: string | number;
  ref: string;
  inputs: Record<string, string>;
  /** The workflow input that receives the fencing token, when the workflow declares one. */
  fencingInput?: string;
  timeoutMs: number;
  pollMs: number;
}

export interface HttpRunnerSpec {
  kind: 'http';
  name: string;
  url: string;
  headers?: Record<string, string>;
  /** JSON body; string values may hold `{placeholder}`s. */
  body?: Record<string, unknown>;
  successStatuses: StatusRange[];
  timeoutMs: number;
}

export type RunnerSpec = CommandRunnerSpec | GitHubActionsRunnerSpec | HttpRunnerSpec;
export type RunnerKind = RunnerSpec['kind'];

/** How often a check runs: `times` attempts `intervalMs` apart, all must pass. */
export interface CheckRepeat {
  times: number;
  intervalMs: number;
}

export interface CommandCheckSpec extends CheckRepeat {
  kind: 'command';
  name: string;
  argv: string[];
  cwd?: string;
  timeoutMs: number;
}

export interface FileExistsCheckSpec extends CheckRepeat {
  kind: 'file_exists';
  name: string;
  path: string;
}

export interface HttpCheckSpec extends CheckRepeat {
  kind: 'http';
  name: string;
  url: string;
  expectStatuses: StatusRange[];
  /** Body must contain this text. */
  bodyContains?: string;
  /** Body must match this regular expression (source text, compiled by the check runner). */
  bodyMatches?: string;
  timeoutMs: number;
}

/**
 * Verification by signal: passes when the condition holds for the whole window
 * (`{ kind: prometheus, signal: error_rate, below: 1, for: 2m }`). `{service}` in a
 * `query` is the rollback's service, escaped as in the named signals.
 */
export interface SignalCheckSpec extends CheckRepeat {
  kind: 'prometheus';
  name: string;
  ref: { signal: string } | { query: string };
  op: 'below' | 'above';
  threshold: number;
  forMs: number;
}

export type CheckSpec = CommandCheckSpec | FileExistsCheckSpec | HttpCheckSpec | SignalCheckSpec;

export interface RollbackPlan {
  level: RollbackLevel;
  /** runners[0] is the primary; the rest are fallbacks tried in order. */
  runners: RunnerSpec[];
  readiness: CheckSpec[];
  verification: CheckSpec[];
}

export function isStatusInRanges(status: number, ranges: readonly StatusRange[]): boolean {
  return ranges.some((r) => status >= r.min && status <= r.max);
}

export function formatStatusRanges(ranges: readonly StatusRange[]): string {
  return ranges.map((r) => (r.min === r.max ? String(r.min) : `${r.min}-${r.max}`)).join(', ');
}
