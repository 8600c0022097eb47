import type { CheckSpec } from '../../domain/rollback/rollback-plan';

export interface CheckResult {
  name: string;
  passed: boolean;
  /** What was seen: "3/3 attempts passed", or the first failing attempt's reason. */
  detail: string;
  durationMs: number;
}

export interface ChecksOutcome {
  passed: boolean;
  results: CheckResult[];
}

/** Runs readiness or verification checks of a rollback plan (CheckRunner implements it). */
export type RunChecks = (
  checks: readonly CheckSpec[],
  placeholders: Record<string, string>,
  signal?: AbortSignal,
) => Promise<ChecksOutcome>;
