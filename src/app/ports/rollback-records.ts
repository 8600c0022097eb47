import type { DecisionRecord, ExecutionRecord, VerificationRecord } from '../../domain/report/records';

/**
 * The rollback paper trail of each incident, append-only (RedisRollbackRecords): every decision,
 * every runner execution, every verification, and the signals seen when the rollback was proposed.
 */
export interface RollbackRecords {
  addDecision(incidentId: string, record: DecisionRecord): Promise<void>;
  addExecution(incidentId: string, record: ExecutionRecord): Promise<void>;
  addVerification(incidentId: string, record: VerificationRecord): Promise<void>;
  /** Signals at the time of the rollback; the first write wins. */
  setSignalsAtRollback(incidentId: string, signals: Record<string, unknown>): Promise<void>;
  decisions(incidentId: string): Promise<DecisionRecord[]>;
  executions(incidentId: string): Promise<ExecutionRecord[]>;
  verifications(incidentId: string): Promise<VerificationRecord[]>;
  /** The latest verification, which is what gate 3 and the report show. */
  latestVerification(incidentId: string): Promise<VerificationRecord | null>;
  signalsAtRollback(incidentId: string): Promise<Record<string, unknown> | null>;
}
