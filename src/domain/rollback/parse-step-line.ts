import type { RollbackStep } from './rollback-runner';

// Same shape as GitHub's `::command` lines so scripts read naturally in CI logs too.
const STEP_LINE = /^::step\s+(\d{1,4})\s*\/\s*(\d{1,4})(?:\s+(.*))?$/;
const MAX_LABEL = 200;

/** Recognizes `::step 2/7 Restore git hooks`; anything else (or 0/7, 8/7) is null. */
export function parseStepLine(line: string): RollbackStep | null {
  const match = STEP_LINE.exec(line.trim());
  if (!match) return null;
  const index = Number(match[1]);
  const total = Number(match[2]);
  if (index < 1 || total < 1 || index > total) return null;
  const label = (match[3] ?? '').trim().slice(0, MAX_LABEL);
  return { index, total, label };
}
