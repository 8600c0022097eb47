import type { Change, Incident } from '../../../domain/incident';
import { dayKey } from '../../../domain/incident-id';
import { isOpenStatus } from '../../../domain/lifecycle';
import type { IncidentStore, UpdateOutcome } from '../../../app/ports/incident-store';
import type { TimelineEvent, TimelineEventInput } from '../../../domain/timeline';
import { confirmReplicated } from './confirm-replicated';
import { keySpace, type KeySpace, type RedisClient } from './key-space';
import { INCIDENT_SCHEMA, decodeIncident } from './stored-incident';

const ID_PLACEHOLDER = '__INCIDENT_ID__';

/**
 * Creates an incident in one atomic step: idempotency check, per-day counter, the incident,
 * both indexes and the first timeline entries. A retry with the same idempotency key returns
 * the first incident's id and writes nothing.
 * KEYS: 1 day counter, 2 idempotency key (absent for none: on a Cluster every key given must be a real one of the slot)
 * ARGV: 1 key stem of the incident keys (the prefix, plus the hash tag on a Cluster), 2 id stem ("INC-20261121-"), 3 incident JSON with the id placeholder,
 *       4 createdAt (score), 5 idempotency TTL ms, 6.. timeline event JSONs
 */
const CREATE_SCRIPT = `
if KEYS[2] then
  local existing = redis.call('GET', KEYS[2])
  if existing then return {0, existing} end
end
local n = redis.call('INCR', KEYS[1])
local id = ARGV[2] .. string.format('%03d', n)
local json = ARGV[3]
local s, e = string.find(json, '${ID_PLACEHOLDER}', 1, true)
json = string.sub(json, 1, s - 1) .. id .. string.sub(json, e + 1)
redis.call('HSET', ARGV[1] .. 'incident:' .. id, 'json', json, 'version', '1', 'schema', '${INCIDENT_SCHEMA}')
redis.call('ZADD', ARGV[1] .. 'incidents:open', ARGV[4], id)
redis.call('ZADD', ARGV[1] .. 'incidents:all', ARGV[4], id)
for i = 6, #ARGV do
  redis.call('XADD', ARGV[1] .. 'timeline:' .. id, '*', 'e', ARGV[i])
end
if KEYS[2] then redis.call('SET', KEYS[2], id, 'PX', ARGV[5]) end
return {1, id}
`;

/**
 * Compare-and-set: writes the incident only if nobody wrote it since we read it, and
 * appends its timeline entries in the same step, so state and timeline never disagree.
 * KEYS: 1 incident hash, 2 open index, 3 timeline stream
 * ARGV: 1 expected version, 2 new JSON, 3 "open"|"closed", 4 createdAt, 5 id, 6.. event JSONs
 */
const UPDATE_SCRIPT = `
if redis.call('HGET', KEYS[1], 'version') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'json', ARGV[2], 'version', tostring(tonumber(ARGV[1]) + 1), 'schema', '${INCIDENT_SCHEMA}')
if ARGV[3] == 'open' then redis.call('ZADD', KEYS[2], ARGV[4], ARGV[5]) else redis.call('ZREM', KEYS[2], ARGV[5]) end
for i = 6, #ARGV do
  redis.call('XADD', KEYS[3], '*', 'e', ARGV[i])
end
return 1
`;

/**
 * Incidents, indexes and timelines in Redis, every key under the configured prefix. Creating
 * one writes the day counter, the incident, both indexes and its timeline in one script, so on
 * a Cluster they all share the `incidents` hash tag (one slot): the data is small, and one
 * atomic step is what makes ids unique and a retried create a no-op.
 */
export class RedisIncidentStore implements IncidentStore {
  private readonly keys: KeySpace;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    private readonly idempotencyTtlMs = 7 * 86_400_000,
  ) {
    this.keys = keySpace(redis, prefix);
    // The number of keys comes with each call (1 or 2).
    redis.defineCommand('ibCreateIncident', { lua: CREATE_SCRIPT });
    redis.defineCommand('ibUpdateIncident', { numberOfKeys: 3, lua: UPDATE_SCRIPT });
  }

  key(...parts: string[]): string {
    return this.keys.tagged('incidents', parts.join(':'));
  }

  /**
   * Creates the incident unless `idempotencyKey` was seen before.
   * Returns `created: false` and the first incident for a duplicate.
   */
  async create(
    build: { incident: Incident; events: TimelineEventInput[] },
    idempotencyKey?: string,
  ): Promise<{ created: boolean; incident: Incident }> {
    const createdAt = build.incident.createdAt;
    const template = JSON.stringify({ ...build.incident, id: ID_PLACEHOLDER, version: 1 });
    const [created, id] = (await (this.redis as unknown as Record<string, (...args: unknown[]) => Promise<[number, string]>>)
      .ibCreateIncident!(
      ...(idempotencyKey
        ? [2, this.key('seq', dayKey(createdAt)), this.key('idem', idempotencyKey)]
        : [1, this.key('seq', dayKey(createdAt))]),
      this.key(''),
      `INC-${dayKey(createdAt)}-`,
      template,
      String(createdAt),
      String(this.idempotencyTtlMs),
      ...build.events.map((e) => JSON.stringify(e)),
    )) as [number, string];
    // Announced right after: a failover must not lose it (and hand its id to another incident).
    if (created === 1) await confirmReplicated(this.redis);
    const incident = await this.get(id);
    if (!incident) throw new Error(`incident ${id} vanished right after creation`);
    return { created: created === 1, incident };
  }

  async get(id: string): Promise<Incident | null> {
    const [json, version, schema] = await this.redis.hmget(this.key('incident', id), 'json', 'version', 'schema');
    if (!json || !version) return null;
    return decodeIncident(json, version, schema);
  }

  /**
   * Applies a pure domain change with optimistic concurrency: re-reads and re-applies on
   * a conflicting write, so two clicks on two replicas both see the other's result.
   * `known`: the incident as the caller just read it; the first attempt starts from it and
   * saves a read (a stale copy only costs a retry, the compare-and-set catches it).
   */
  async update(
    id: string,
    change: (incident: Incident) => Change,
    options: { known?: Incident; maxAttempts?: number } = {},
  ): Promise<UpdateOutcome> {
    const maxAttempts = options.maxAttempts ?? 20;
    for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
      const current = attempt === 0 && options.known?.id === id ? options.known : await this.get(id);
      if (!current) return { ok: false, code: 'incident.not_found', reason: `No incident ${id}.` };
      const result = change(current);
      if (!result.ok) return result;
      const next: Incident = { ...result.incident, version: current.version + 1 };
      const written = await (this.redis as unknown as Record<string, (...args: unknown[]) => Promise<number>>).ibUpdateIncident!(
        this.key('incident', id),
        this.key('incidents', 'open'),
        this.key('timeline', id),
        String(current.version),
        JSON.stringify(next),
        isOpenStatus(next.status) ? 'open' : 'closed',
        String(next.createdAt),
        id,
        ...result.events.map((e) => JSON.stringify(e)),
      );
      if (written === 1) return { ok: true, incident: next, events: result.events };
    }
    throw new Error(`incident ${id}: too many concurrent writes`);
  }

  /** Appends timeline entries that do not change the incident itself. */
  async appendTimeline(id: string, events: TimelineEventInput[]): Promise<void> {
    if (!events.length) return;
    const pipeline = this.redis.multi();
    for (const e of events) pipeline.xadd(this.key('timeline', id), '*', 'e', JSON.stringify(e));
    await pipeline.exec();
  }

  /**
   * Whether an entry written under runOnce's effectKey (details.effect) is in the timeline since
   * sinceMs: how a retry after a crash tells that the entry was written before the crash.
   */
  async timelineHasEffect(id: string, effectKey: string, sinceMs: number): Promise<boolean> {
    const entries = await this.redis.xrange(this.key('timeline', id), `${Math.max(0, Math.floor(sinceMs))}-0`, '+');
    return entries.some(([, fields]) => (JSON.parse(fields[1] ?? '{}') as TimelineEventInput).details?.effect === effectKey);
  }

  async timeline(id: string, count?: number): Promise<TimelineEvent[]> {
    const entries = count
      ? await this.redis.xrange(this.key('timeline', id), '-', '+', 'COUNT', count)
      : await this.redis.xrange(this.key('timeline', id), '-', '+');
    return entries.map(([entryId, fields]) => ({ id: entryId, ...(JSON.parse(fields[1] ?? '{}') as TimelineEventInput) }));
  }

  /** Oldest first; `limit` reads only that many. */
  async listOpen(limit?: number): Promise<Incident[]> {
    return this.getMany(await this.redis.zrange(this.key('incidents', 'open'), 0, limit ? limit - 1 : -1));
  }

  /** Newest first. */
  async listAll(limit = 100, offset = 0): Promise<Incident[]> {
    return this.getMany(await this.redis.zrevrange(this.key('incidents', 'all'), offset, offset + limit - 1));
  }

  private async getMany(ids: string[]): Promise<Incident[]> {
    if (!ids.length) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hmget(this.key('incident', id), 'json', 'version', 'schema');
    const rows = (await pipeline.exec()) ?? [];
    const incidents: Incident[] = [];
    for (const [, value] of rows) {
      const [json, version, schema] = (value as [string | null, string | null, string | null]) ?? [];
      if (json && version) incidents.push(decodeIncident(json, version, schema));
    }
    return incidents;
  }

  /** Dedicated incident channels map back to their incident, so commands there imply it. */
  async linkChannel(channelId: string, incidentId: string): Promise<void> {
    await this.redis.set(this.key('channel', channelId), incidentId);
  }

  async incidentForChannel(channelId: string): Promise<string | null> {
    return this.redis.get(this.key('channel', channelId));
  }
}
