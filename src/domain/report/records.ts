/**
 * What the rollback helper hands to the paper trail. Times are epoch milliseconds,
 * like everything else in the domain; renderers turn them into UTC text.
 */

/** One run of one rollback runner (script, GitHub Actions workflow, HTTP hook). */
export interface ExecutionRecord {
  /** The configured runner's name, e.g. "checkout-rollback". */
  runner: string;
  kind: 'script' | 'github-actions' | 'http' | (string & {});
  outcome: 'succeeded' | 'failed' | 'timed_out' | 'cancelled';
  /** Script runners report an exit code; workflow runners a conclusion; HTTP hooks a status. */
  exitCode?: number | null;
  conclusion?: string | null;
  startedAt: number;
  finishedAt: number;
  durationMs: number;
  /** The tail of the output, already trimmed and secret-free. */
  outputExcerpt: string;
  /** Workflow run or log URL, when there is one. */
  link?: string | null;
}

export interface VerificationCheck {
  name: string;
  passed: boolean;
  detail: string;
}

/** The verification checks run after a mitigation (gate 3's evidence). */
export interface VerificationRecord {
  passed: boolean;
  checks: VerificationCheck[];
  at: number;
}

/** Every proposal, approval, rejection, stop and denial, as the four-gate protocol's decision log wants them. */
export interface DecisionRecord {
  kind: 'proposal' | 'approval' | 'rejection' | 'denial' | 'override' | 'stop';
  /** Slack user id of the person who proposed, approved, rejected, or was denied. */
  by: string;
  at: number;
  /** What was decided on, e.g. "rollback checkout via checkout-rollback (level 2)". */
  action: string;
  reason?: string | null;
}

/** The classifier's reasoning, kept for severity-assessment.json and the report. */
export interface SeverityAssessment {
  /** The rule that matched, e.g. "error_rate > 15% → P1". */
  rule: string;
  explanation: string;
  /** The signal values the rule looked at. */
  observations: Record<string, unknown>;
  /** Slack user id of whoever confirmed it, or null while unconfirmed. */
  confirmedBy: string | null;
}

/** The rollback evidence as a whole; absent when no mitigation was executed. */
export interface RollbackEvidence {
  executions: ExecutionRecord[];
  verification?: VerificationRecord;
  /** Signal values captured when the rollback was approved (error_rate, p95_ms, ...). */
  signalsAtRollback?: Record<string, unknown>;
}
