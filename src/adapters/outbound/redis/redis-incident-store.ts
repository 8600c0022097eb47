import type { Change, Incident } from '../../../domain/incident';
import { dayKey } from '../../../domain/incident-id';
import { openOrderScore } from '../../../domain/open-order';
import { isOpenStatus } from '../../../domain/lifecycle';
import type { IncidentStore, OpenCursor, UpdateOutcome } from '../../../app/ports/incident-store';
import type { TimelineEvent, TimelineEventInput } from '../../../domain/timeline';
import { redactDeep } from '../../../domain/redaction/redact-deep';
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
 *       4 createdAt (score), 5 idempotency TTL ms, 6 open-order score (openOrderScore), 7.. timeline event JSONs
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
redis.call('ZADD', ARGV[1] .. 'incidents:open-order', ARGV[6], id)
for i = 7, #ARGV do
  redis.call('XADD', ARGV[1] .. 'timeline:' .. id, '*', 'e', ARGV[i])
end
if KEYS[2] then redis.call('SET', KEYS[2], id, 'PX', ARGV[5]) end
return {1, id}
`;

/**
 * Compare-and-set: writes the incident only if nobody wrote it since we read it, and
 * appends its timeline entries in the same step, so state and timeline never disagree.
 * KEYS: 1 incident hash, 2 open index, 3 timeline stream, 4 open index by severity then age
 * ARGV: 1 expected version, 2 new JSON, 3 "open"|"closed", 4 createdAt, 5 id, 6 open-order score, 7.. event JSONs
 */
const UPDATE_SCRIPT = `
if redis.call('HGET', KEYS[1], 'version') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'json', ARGV[2], 'version', tostring(tonumber(ARGV[1]) + 1), 'schema', '${INCIDENT_SCHEMA}')
if ARGV[3] == 'open' then
  redis.call('ZADD', KEYS[2], ARGV[4], ARGV[5])
  redis.call('ZADD', KEYS[4], ARGV[6], ARGV[5])
else
  redis.call('ZREM', KEYS[2], ARGV[5])
  redis.call('ZREM', KEYS[4], ARGV[5])
end
for i = 7, #ARGV do
  redis.call('XADD', KEYS[3], '*', 'e', ARGV[i])
end
return 1
`;

/**
 * Rebuilds the severity order for a page of open incidents (data from before the order existed,
 * or written by an older replica): an id is placed only if it is still open and still at the
 * version its score was computed from, so a change racing the rebuild keeps its own score.
 * KEYS: 1 open index, 2 open index by severity then age
 * ARGV: 1 key stem of the incident keys, then (id, version, score) triples
 */
const REINDEX_SCRIPT = `
for i = 2, #ARGV, 3 do
  local id = ARGV[i]
  if redis.call('ZSCORE', KEYS[1], id) and redis.call('HGET', ARGV[1] .. 'incident:' .. id, 'version') == ARGV[i + 1] then
    redis.call('ZADD', KEYS[2], ARGV[i + 2], id)
  end
end
return 1
`;

/** Drops ids from the severity order that are no longer open. KEYS: 1 open index, 2 order. ARGV: ids. */
const PRUNE_ORDER_SCRIPT = `
local removed = 0
for i = 1, #ARGV do
  if not redis.call('ZSCORE', KEYS[1], ARGV[i]) then removed = removed + redis.call('ZREM', KEYS[2], ARGV[i]) end
end
return removed
`;

/**
 * Incidents, indexes and timelines in Redis, every key under the configured prefix. Creating
 * one writes the day counter, the incident, both indexes and its timeline in one script, so on
 * a Cluster they all share the `incidents` hash tag (one slot): the data is small, and one
 * atomic step is what makes ids unique and a retried create a no-op.
 */
export class RedisIncidentStore implements IncidentStore {
  private readonly keys: KeySpace;

  private readonly idempotencyTtlMs: number;
  private readonly secrets: readonly string[];

  /** `secrets`: redacted by value (and every token shape) from incidents and timeline entries before they are stored. */
  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    options: { idempotencyTtlMs?: number; secrets?: readonly string[] } = {},
  ) {
    this.idempotencyTtlMs = options.idempotencyTtlMs ?? 7 * 86_400_000;
    this.secrets = options.secrets ?? [];
    this.keys = keySpace(redis, prefix);
    // The number of keys comes with each call (1 or 2).
    redis.defineCommand('ibCreateIncident', { lua: CREATE_SCRIPT });
    redis.defineCommand('ibUpdateIncident', { numberOfKeys: 4, lua: UPDATE_SCRIPT });
    redis.defineCommand('ibReindexOpen', { numberOfKeys: 2, lua: REINDEX_SCRIPT });
    redis.defineCommand('ibPruneOpenOrder', { numberOfKeys: 2, lua: PRUNE_ORDER_SCRIPT });
  }

  /**
   * What is stored: text from outside (alert summaries and labels, webhook text, status
   * updates, runner output) may carry a secret, and nothing stored may (README, "Rollbacks": redaction).
   */
  private encode(value: Incident | TimelineEventInput): string {
    return JSON.stringify(redactDeep(value, this.secrets));
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
    const template = this.encode({ ...build.incident, id: ID_PLACEHOLDER, version: 1 });
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
      String(openOrderScore(build.incident.severity, createdAt)),
      ...build.events.map((e) => this.encode(e)),
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

  /** One MULTI: the incident and its timeline share a slot (tag `incidents`), so both are of one moment. */
  async getWithTimeline(id: string): Promise<{ incident: Incident; timeline: TimelineEvent[] } | null> {
    const [[, fields], [, entries]] = ((await this.redis
      .multi()
      .hmget(this.key('incident', id), 'json', 'version', 'schema')
      .xrange(this.key('timeline', id), '-', '+')
      .exec()) ?? []) as [[unknown, (string | null)[]], [unknown, [string, string[]][]]];
    const [json, version, schema] = fields ?? [];
    if (!json || !version) return null;
    return { incident: decodeIncident(json, version, schema ?? null), timeline: (entries ?? []).map(toEvent) };
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
        this.key('incidents', 'open-order'),
        String(current.version),
        this.encode(next),
        isOpenStatus(next.status) ? 'open' : 'closed',
        String(next.createdAt),
        id,
        String(openOrderScore(next.severity, next.createdAt)),
        ...result.events.map((e) => this.encode(e)),
      );
      if (written === 1) return { ok: true, incident: next, events: result.events };
    }
    throw new Error(`incident ${id}: too many concurrent writes`);
  }

  /** Appends timeline entries that do not change the incident itself. */
  async appendTimeline(id: string, events: TimelineEventInput[]): Promise<void> {
    if (!events.length) return;
    const pipeline = this.redis.multi();
    for (const e of events) pipeline.xadd(this.key('timeline', id), '*', 'e', this.encode(e));
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
    return entries.map(toEvent);
  }

  /**
   * The last `count` entries, oldest first, and how many there are in all: what a person is
   * shown without reading the whole timeline.
   */
  async timelineTail(id: string, count: number): Promise<{ entries: TimelineEvent[]; total: number }> {
    const key = this.key('timeline', id);
    const [[, newest], [, total]] = ((await this.redis.multi().xrevrange(key, '+', '-', 'COUNT', count).xlen(key).exec()) ?? []) as [
      [unknown, [string, string[]][]],
      [unknown, number],
    ];
    return { entries: newest.reverse().map(toEvent), total };
  }

  /** Entries after stream id `cursor` (all of them for null), oldest first: what a sync has not handled yet. */
  async timelineAfter(id: string, cursor: string | null): Promise<TimelineEvent[]> {
    const start = cursor ? nextStreamId(cursor) : '-';
    return (await this.redis.xrange(this.key('timeline', id), start, '+')).map(toEvent);
  }

  /**
   * One page of open incidents, most severe first, then oldest first (openOrderScore), read
   * from the order index: the cost is the page, not the number open.
   */
  async listOpenBySeverity(limit: number, offset = 0): Promise<Incident[]> {
    const ids = await this.redis.zrange(this.key('incidents', 'open-order'), offset, offset + limit - 1);
    // An older replica may have closed one without touching the order (until reindexOpen).
    return (await this.getMany(ids)).filter((i) => isOpenStatus(i.status));
  }

  /** How many incidents are open (the open index itself is the count). */
  async countOpen(): Promise<number> {
    return this.redis.zcard(this.key('incidents', 'open'));
  }

  /**
   * Up to `limit` open incidents after `cursor`, oldest first. A walk by cursor, unlike one by
   * offset, neither skips nor repeats an incident when others close or open meanwhile.
   */
  async openAfter(cursor: OpenCursor | null, limit: number): Promise<{ incidents: Incident[]; next: OpenCursor | null }> {
    const key = this.key('incidents', 'open');
    const page: OpenCursor[] = [];
    // Ids sharing the cursor's createdAt come again (ties sort by id): skip those already seen.
    for (let skip = 0; page.length < limit; ) {
      const raw = await this.redis.zrangebyscore(key, cursor ? cursor.score : '-inf', '+inf', 'WITHSCORES', 'LIMIT', skip, limit);
      for (let i = 0; i < raw.length && page.length < limit; i += 2) {
        const entry = { id: raw[i]!, score: Number(raw[i + 1]) };
        if (cursor && entry.score === cursor.score && entry.id <= cursor.id) continue;
        page.push(entry);
      }
      if (raw.length < limit * 2) break;
      skip += limit;
    }
    const last = page.at(-1);
    return { incidents: await this.getMany(page.map((p) => p.id)), next: page.length === limit && last ? last : null };
  }

  /**
   * Makes the severity order hold exactly the open incidents, each at its current score.
   * Run at start: data written before the order existed, or by an older replica, gets it.
   * Walks both indexes in pages; returns how many were placed and removed.
   */
  async reindexOpen(pageSize = 200): Promise<{ placed: number; removed: number }> {
    const call = this.redis as unknown as Record<string, (...args: unknown[]) => Promise<number>>;
    const open = this.key('incidents', 'open');
    const order = this.key('incidents', 'open-order');
    let placed = 0;
    let cursor: OpenCursor | null = null;
    do {
      const page: { incidents: Incident[]; next: OpenCursor | null } = await this.openAfter(cursor, pageSize);
      const triples = page.incidents.flatMap((i) => [i.id, String(i.version), String(openOrderScore(i.severity, i.createdAt))]);
      if (triples.length) await call.ibReindexOpen!(open, order, this.key(''), ...triples);
      placed += page.incidents.length;
      cursor = page.next;
    } while (cursor);
    let removed = 0;
    for (let offset = 0; ; offset += pageSize) {
      const ids = await this.redis.zrange(order, offset, offset + pageSize - 1);
      if (!ids.length) break;
      const gone = await call.ibPruneOpenOrder!(open, order, ...ids);
      removed += gone;
      offset -= gone;
    }
    return { placed, removed };
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

function toEvent([entryId, fields]: [string, string[]]): TimelineEvent {
  return { id: entryId, ...(JSON.parse(fields[1] ?? '{}') as TimelineEventInput) };
}

/** The smallest stream id after `id` ("1763733720000-3" → "1763733720000-4"): an exclusive start on any Redis version. */
function nextStreamId(id: string): string {
  const [ms, seq] = id.split('-');
  return `${ms}-${Number(seq ?? 0) + 1}`;
}
