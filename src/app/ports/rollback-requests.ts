import type { Refusal } from '../../domain/result';
import type { RequestChange, RollbackRequest } from '../../domain/rollback/rollback-request';

export type RequestUpdate = { ok: true; request: RollbackRequest; previous: RollbackRequest } | Refusal;

/** Reading a rollback request. */
export interface RollbackRequestReader {
  get(id: string): Promise<RollbackRequest | null>;
}

/**
 * Rollback requests (RedisRollbackRequests): one record per request, its incident's list, the
 * set of those not yet final, a fencing counter, and a liveness mark the executing process
 * keeps fresh so a dead one is told apart from a slow one.
 */
export interface RollbackRequests extends RollbackRequestReader {
  /** `<incident>-R<n>`, counting per incident. */
  nextId(incidentId: string): Promise<string>;
  /** Stores a new request (version 1); throws when the id exists. */
  create(request: RollbackRequest): Promise<RollbackRequest>;
  forIncident(incidentId: string): Promise<RollbackRequest[]>;
  /** Requests not yet final, for the restart sweep. */
  active(): Promise<RollbackRequest[]>;
  /** Applies a pure change with compare-and-set, re-reading and re-deciding on conflict. */
  update(id: string, change: (request: RollbackRequest) => RequestChange, maxAttempts?: number): Promise<RequestUpdate>;
  /** A new fencing token for an execution claim; strictly increasing per request. */
  nextToken(id: string): Promise<number>;
  /** The highest fencing token handed out for this request (0 when none). */
  latestToken(id: string): Promise<number>;
  /** The executing process marks itself alive; the mark expires ttlMs after its last touch. */
  markAlive(id: string, token: number, ttlMs: number): Promise<void>;
  /** Extends the mark only while it is still `token`'s. */
  touchAlive(id: string, token: number, ttlMs: number): Promise<boolean>;
  isAlive(id: string): Promise<boolean>;
  /** How long the liveness mark lasts unless its owner touches it again (0 when there is none). */
  aliveForMs(id: string): Promise<number>;
  clearAlive(id: string): Promise<void>;
}
