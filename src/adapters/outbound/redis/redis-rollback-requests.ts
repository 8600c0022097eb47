import type { RequestUpdate, RollbackRequests } from '../../../app/ports/rollback-requests';
import { isFinal, type RequestChange, type RollbackRequest } from '../../../domain/rollback/rollback-request';
import { LuaScript } from '../timers/run-script';
import { confirmReplicated } from './confirm-replicated';
import { keySpace, type KeySpace, type RedisClient } from './key-space';

/**
 * Compare-and-set on a request: written only if its version is still the one we read, so of
 * many concurrent deciders (replicas, double clicks) exactly one wins each move.
 * KEYS: 1 request, 2 active set. ARGV: 1 expected version, 2 new JSON, 3 id, 4 "active"|"final"
 */
const CAS = new LuaScript(`
local current = redis.call('GET', KEYS[1])
if not current then return -1 end
if cjson.decode(current).version ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
if ARGV[4] == 'active' then redis.call('SADD', KEYS[2], ARGV[3]) else redis.call('SREM', KEYS[2], ARGV[3]) end
return 1
`);

/** A new request joins its incident's list and the active set only if its id is new. KEYS: request, incident list, active set. ARGV: JSON, id. */
const CREATE = new LuaScript(`
if not redis.call('SET', KEYS[1], ARGV[1], 'NX') then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[2])
return 1
`);

/** Extends the liveness mark only while it is still ours (fencing token). */
const TOUCH = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`);

/**
 * Rollback requests in Redis: one JSON per request, an index per incident, a set of the
 * non-final ones (the restart sweep), a fencing counter per request, and a liveness mark an
 * executing process keeps fresh so a dead one is told apart from a slow one. A request moves
 * together with the active set (create, compare-and-set), so on a Cluster every rollback key
 * shares the `rollback` hash tag.
 */
export class RedisRollbackRequests implements RollbackRequests {
  private readonly keys: KeySpace;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = keySpace(redis, prefix);
  }

  private key(...parts: string[]): string {
    return this.keys.tagged('rollback', `rollback:${parts.join(':')}`);
  }

  /** `<incident>-R<n>`, counting per incident. */
  async nextId(incidentId: string): Promise<string> {
    return `${incidentId}-R${await this.redis.incr(this.key('seq', incidentId))}`;
  }

  async create(request: RollbackRequest): Promise<RollbackRequest> {
    const stored = { ...request, version: 1 };
    const created = Number(
      await CREATE.run(
        this.redis,
        [this.key('request', request.id), this.key('incident', request.incidentId), this.key('active')],
        [JSON.stringify(stored), request.id],
      ),
    );
    if (created !== 1) throw new Error(`rollback request ${request.id} already exists`);
    await confirmReplicated(this.redis);
    return stored;
  }

  async get(id: string): Promise<RollbackRequest | null> {
    const json = await this.redis.get(this.key('request', id));
    return json ? (JSON.parse(json) as RollbackRequest) : null;
  }

  async forIncident(incidentId: string): Promise<RollbackRequest[]> {
    const ids = await this.redis.lrange(this.key('incident', incidentId), 0, -1);
    return this.many(ids);
  }

  /** Requests not yet final, for the restart sweep. */
  async active(): Promise<RollbackRequest[]> {
    return this.many(await this.redis.smembers(this.key('active')));
  }

  private async many(ids: string[]): Promise<RollbackRequest[]> {
    if (!ids.length) return [];
    const jsons = await this.redis.mget(...ids.map((id) => this.key('request', id)));
    return jsons.filter((j): j is string => j !== null).map((j) => JSON.parse(j) as RollbackRequest);
  }

  /** Applies a pure change with compare-and-set, re-reading and re-deciding on conflict. */
  async update(id: string, change: (request: RollbackRequest) => RequestChange, maxAttempts = 100): Promise<RequestUpdate> {
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const previous = await this.get(id);
      if (!previous) return { ok: false, code: 'request.not_found', reason: `No rollback request ${id}.` };
      const outcome = change(previous);
      if (!outcome.ok) return outcome;
      const next = { ...outcome.request, version: previous.version + 1 };
      const written = Number(
        await CAS.run(
          this.redis,
          [this.key('request', id), this.key('active')],
          [previous.version, JSON.stringify(next), id, isFinal(next.status) ? 'final' : 'active'],
        ),
      );
      if (written === 1) {
        // An approval is acted on at once (the rollback runs): a failover must not forget it.
        await confirmReplicated(this.redis);
        return { ok: true, request: next, previous };
      }
      if (written === -1) return { ok: false, code: 'request.not_found', reason: `No rollback request ${id}.` };
    }
    throw new Error(`rollback request ${id}: too much contention, gave up after ${maxAttempts} attempts`);
  }

  /** A new fencing token for an execution claim; strictly increasing per request. */
  nextToken(id: string): Promise<number> {
    return this.redis.incr(this.key('fence', id));
  }

  /** The highest fencing token handed out for this request (0 when none). */
  async latestToken(id: string): Promise<number> {
    return Number((await this.redis.get(this.key('fence', id))) ?? 0);
  }

  /** The executing process marks itself alive; the mark expires ttlMs after its last touch. */
  async markAlive(id: string, token: number, ttlMs: number): Promise<void> {
    await this.redis.set(this.key('alive', id), String(token), 'PX', ttlMs);
  }

  async touchAlive(id: string, token: number, ttlMs: number): Promise<boolean> {
    return Number(await TOUCH.run(this.redis, [this.key('alive', id)], [String(token), ttlMs])) === 1;
  }

  async isAlive(id: string): Promise<boolean> {
    return (await this.redis.exists(this.key('alive', id))) === 1;
  }

  /** How long the liveness mark lasts unless its owner touches it again (0 when there is none). */
  async aliveForMs(id: string): Promise<number> {
    return Math.max(0, await this.redis.pttl(this.key('alive', id)));
  }

  async clearAlive(id: string): Promise<void> {
    await this.redis.del(this.key('alive', id));
  }
}
