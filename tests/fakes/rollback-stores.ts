import type { RequestUpdate, RollbackRequests } from '../../src/app/ports/rollback-requests';
import type { RollbackRecords } from '../../src/app/ports/rollback-records';
import type { DecisionIntent, DecisionIntentStore } from '../../src/app/ports/decision-intents';
import type { DecisionRecord, ExecutionRecord, VerificationRecord } from '../../src/domain/report/records';
import { isFinal, type RequestChange, type RollbackRequest } from '../../src/domain/rollback/rollback-request';

/** Rollback requests in memory, versioned like the Redis store. */
export class FakeRollbackRequests implements RollbackRequests {
  readonly requests = new Map<string, RollbackRequest>();
  private readonly seq = new Map<string, number>();
  private readonly tokens = new Map<string, number>();
  readonly alive = new Map<string, number>();

  async nextId(incidentId: string): Promise<string> {
    const n = (this.seq.get(incidentId) ?? 0) + 1;
    this.seq.set(incidentId, n);
    return `${incidentId}-R${n}`;
  }
  async create(request: RollbackRequest): Promise<RollbackRequest> {
    if (this.requests.has(request.id)) throw new Error(`rollback request ${request.id} already exists`);
    const stored = { ...request, version: 1 };
    this.requests.set(request.id, stored);
    return structuredClone(stored);
  }
  async get(id: string): Promise<RollbackRequest | null> {
    const r = this.requests.get(id);
    return r ? structuredClone(r) : null;
  }
  async forIncident(incidentId: string): Promise<RollbackRequest[]> {
    return [...this.requests.values()].filter((r) => r.incidentId === incidentId).map((r) => structuredClone(r));
  }
  async active(): Promise<RollbackRequest[]> {
    return [...this.requests.values()].filter((r) => !isFinal(r.status)).map((r) => structuredClone(r));
  }
  async update(id: string, change: (request: RollbackRequest) => RequestChange): Promise<RequestUpdate> {
    const previous = this.requests.get(id);
    if (!previous) return { ok: false, code: 'request.not_found', reason: `No rollback request ${id}.` };
    const outcome = change(structuredClone(previous));
    if (!outcome.ok) return outcome;
    const next = { ...outcome.request, version: previous.version + 1 };
    this.requests.set(id, next);
    return { ok: true, request: structuredClone(next), previous: structuredClone(previous) };
  }
  async nextToken(id: string): Promise<number> {
    const n = (this.tokens.get(id) ?? 0) + 1;
    this.tokens.set(id, n);
    return n;
  }
  async latestToken(id: string): Promise<number> {
    return this.tokens.get(id) ?? 0;
  }
  async markAlive(id: string, token: number): Promise<void> {
    this.alive.set(id, token);
  }
  async touchAlive(id: string, token: number): Promise<boolean> {
    return this.alive.get(id) === token;
  }
  async isAlive(id: string): Promise<boolean> {
    return this.alive.has(id);
  }
  async aliveForMs(id: string): Promise<number> {
    return this.alive.has(id) ? 10_000 : 0;
  }
  async clearAlive(id: string): Promise<void> {
    this.alive.delete(id);
  }
}

/** The rollback paper trail in memory. */
export class FakeRollbackRecords implements RollbackRecords {
  readonly decisionsBy = new Map<string, DecisionRecord[]>();
  readonly executionsBy = new Map<string, ExecutionRecord[]>();
  readonly verificationsBy = new Map<string, VerificationRecord[]>();
  readonly signals = new Map<string, Record<string, unknown>>();
  private push<T>(map: Map<string, T[]>, id: string, r: T) {
    map.set(id, [...(map.get(id) ?? []), structuredClone(r)]);
  }
  async addDecision(incidentId: string, record: DecisionRecord) {
    this.push(this.decisionsBy, incidentId, record);
  }
  async addExecution(incidentId: string, record: ExecutionRecord) {
    this.push(this.executionsBy, incidentId, record);
  }
  async addVerification(incidentId: string, record: VerificationRecord) {
    this.push(this.verificationsBy, incidentId, record);
  }
  async setSignalsAtRollback(incidentId: string, signals: Record<string, unknown>) {
    if (!this.signals.has(incidentId)) this.signals.set(incidentId, signals);
  }
  async decisions(incidentId: string) {
    return this.decisionsBy.get(incidentId) ?? [];
  }
  async executions(incidentId: string) {
    return this.executionsBy.get(incidentId) ?? [];
  }
  async verifications(incidentId: string) {
    return this.verificationsBy.get(incidentId) ?? [];
  }
  async latestVerification(incidentId: string) {
    return this.verificationsBy.get(incidentId)?.at(-1) ?? null;
  }
  async signalsAtRollback(incidentId: string) {
    return this.signals.get(incidentId) ?? null;
  }
}

/** Durable click intents in memory; `failRecord` makes the store refuse the next write. */
export class FakeDecisionIntents implements DecisionIntentStore {
  readonly intents = new Map<string, { intent: DecisionIntent; leasedUntil: number }>();
  failRecord = false;
  constructor(private readonly clock: () => number = () => 0) {}
  async record(intent: DecisionIntent, leaseMs: number): Promise<void> {
    if (this.failRecord) throw new Error('store down');
    this.intents.set(intent.id, { intent, leasedUntil: this.clock() + leaseMs });
  }
  async takeAbandoned(leaseMs: number, limit: number): Promise<DecisionIntent[]> {
    const now = this.clock();
    const taken = [...this.intents.values()].filter((e) => e.leasedUntil <= now).slice(0, limit);
    for (const e of taken) e.leasedUntil = now + leaseMs;
    return taken.map((e) => e.intent);
  }
  async done(id: string): Promise<void> {
    this.intents.delete(id);
  }
}
