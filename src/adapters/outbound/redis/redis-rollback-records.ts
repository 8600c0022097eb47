import type { RollbackRecords } from '../../../app/ports/rollback-records';
import type { DecisionRecord, ExecutionRecord, VerificationRecord } from '../../../domain/report/records';
import type { RedisClient } from './key-space';

/**
 * The rollback paper trail of each incident, append-only lists in Redis: every decision
 * (proposal, approval, rejection, denial, override), every runner execution, every
 * verification, and the signals seen when the rollback was proposed. The rollback flow
 * writes them; the report, the evidence bundle and the gates read them.
 */
export class RedisRollbackRecords implements RollbackRecords {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private key(incidentId: string, what: 'decisions' | 'executions' | 'verifications' | 'signals'): string {
    return `${this.prefix}rollback-records:${incidentId}:${what}`;
  }

  private async push(key: string, record: unknown): Promise<void> {
    await this.redis.rpush(key, JSON.stringify(record));
  }

  private async all<T>(key: string): Promise<T[]> {
    return (await this.redis.lrange(key, 0, -1)).map((json) => JSON.parse(json) as T);
  }

  addDecision(incidentId: string, record: DecisionRecord): Promise<void> {
    return this.push(this.key(incidentId, 'decisions'), record);
  }

  addExecution(incidentId: string, record: ExecutionRecord): Promise<void> {
    return this.push(this.key(incidentId, 'executions'), record);
  }

  addVerification(incidentId: string, record: VerificationRecord): Promise<void> {
    return this.push(this.key(incidentId, 'verifications'), record);
  }

  /** Signals at the time of the rollback; the first write wins. */
  async setSignalsAtRollback(incidentId: string, signals: Record<string, unknown>): Promise<void> {
    await this.redis.set(this.key(incidentId, 'signals'), JSON.stringify(signals), 'NX');
  }

  decisions(incidentId: string): Promise<DecisionRecord[]> {
    return this.all(this.key(incidentId, 'decisions'));
  }

  executions(incidentId: string): Promise<ExecutionRecord[]> {
    return this.all(this.key(incidentId, 'executions'));
  }

  verifications(incidentId: string): Promise<VerificationRecord[]> {
    return this.all(this.key(incidentId, 'verifications'));
  }

  /** The latest verification, which is what gate 3 and the report show. */
  async latestVerification(incidentId: string): Promise<VerificationRecord | null> {
    const [json] = await this.redis.lrange(this.key(incidentId, 'verifications'), -1, -1);
    return json ? (JSON.parse(json) as VerificationRecord) : null;
  }

  async signalsAtRollback(incidentId: string): Promise<Record<string, unknown> | null> {
    const json = await this.redis.get(this.key(incidentId, 'signals'));
    return json ? (JSON.parse(json) as Record<string, unknown>) : null;
  }
}
