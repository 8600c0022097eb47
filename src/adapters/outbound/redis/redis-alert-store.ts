import { alertGroupId } from '../../../app/alert-group-id';
import type { AlertGroupRef, AlertRecord, AlertStore } from '../../../app/ports/alert-store';
import { keySpace, type KeySpace, type RedisClient } from './key-space';

/**
 * Folds a delivery's alerts into the incident's per-fingerprint state in one step.
 * A value is `<status>:<severity>`, so a repeat changes nothing and a new severity is a change.
 * KEYS: 1 state hash (fingerprint → value), 2 meta hash (firing, receipts, seq)
 * ARGV: 1 receipts in this delivery, 2 TTL ms, 3.. fingerprint, value pairs
 * Returns {firing, total, receipts, seq, changed, new}.
 */
const RECORD_SCRIPT = `
local changed, added, delta = 0, 0, 0
for i = 3, #ARGV, 2 do
  local fp, v = ARGV[i], ARGV[i + 1]
  local old = redis.call('HGET', KEYS[1], fp)
  if old ~= v then
    redis.call('HSET', KEYS[1], fp, v)
    changed = changed + 1
    local was = old and string.sub(old, 1, 7) == 'firing:'
    local is = string.sub(v, 1, 7) == 'firing:'
    if not old then added = added + 1 end
    if was and not is then delta = delta - 1 end
    if is and not was then delta = delta + 1 end
  end
end
local firing = redis.call('HINCRBY', KEYS[2], 'firing', delta)
local receipts = redis.call('HINCRBY', KEYS[2], 'receipts', ARGV[1])
local seq = tonumber(redis.call('HGET', KEYS[2], 'seq') or '0')
if changed > 0 then seq = redis.call('HINCRBY', KEYS[2], 'seq', 1) end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return {firing, redis.call('HLEN', KEYS[1]), receipts, seq, changed, added}
`;

/** Points the group at the incident created for generation ARGV[1], unless the group moved on. */
const BIND_SCRIPT = `
if tonumber(redis.call('HGET', KEYS[1], 'gen') or '0') ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'gen', ARGV[1], 'incident', ARGV[2], 'last', ARGV[2])
return 1
`;

/** The incident ended: the next firing alert of the group opens a new one (next generation). */
const RETIRE_SCRIPT = `
if redis.call('HGET', KEYS[1], 'incident') ~= ARGV[1] then return 0 end
redis.call('HINCRBY', KEYS[1], 'gen', 1)
redis.call('HDEL', KEYS[1], 'incident')
return 1
`;

/** The generation ARGV[1] produced an incident that already ended: move the group on past it. */
const ADVANCE_SCRIPT = `
if tonumber(redis.call('HGET', KEYS[1], 'gen') or '0') ~= tonumber(ARGV[1]) then return 0 end
redis.call('HINCRBY', KEYS[1], 'gen', 1)
redis.call('HDEL', KEYS[1], 'incident')
return 1
`;

/** A reopened incident takes its group back, unless a newer incident already has it. */
const ADOPT_SCRIPT = `
if redis.call('HGET', KEYS[1], 'incident') then return 0 end
redis.call('HSET', KEYS[1], 'incident', ARGV[1], 'last', ARGV[1])
return 1
`;

/**
 * Time, not arrival order, decides an alert's state (docs/alerts-order.md). Per alert of a
 * group it keeps `<status>:<ms>` (ms empty when the sender gave no time), and admits a delivery
 * unless it is older than the recorded change of the other status:
 * 1. a firing whose start is at or before a recorded resolution's end is stale (late delivery);
 * 2. a resolution whose end is before a recorded firing's start is stale (an earlier episode);
 * 3. the same status again is admitted (a repeat; the later time is kept);
 * 4. without a time on either side, arrival order decides.
 * The hash outlives the group's incident for TTL ms, so a resolution that arrives first (no
 * incident yet) is a tombstone the late firing meets.
 * KEYS: 1 times hash. ARGV: 1 TTL ms, 2.. fingerprint, status, ms triples.
 * Returns 1 (admitted) or 0 (stale) per alert, in order.
 */
const ADMIT_SCRIPT = `
local verdicts = {}
for i = 2, #ARGV, 3 do
  local fp, status, at = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local old = redis.call('HGET', KEYS[1], fp)
  local admit, keep = 1, at
  if old then
    local sep = string.find(old, ':', 1, true)
    local oldStatus, oldAt = string.sub(old, 1, sep - 1), string.sub(old, sep + 1)
    if at ~= '' and oldAt ~= '' then
      local t, o = tonumber(at), tonumber(oldAt)
      if status ~= oldStatus then
        if status == 'firing' and t <= o then admit = 0 end
        if status == 'resolved' and t < o then admit = 0 end
      elseif o > t then
        keep = oldAt
      end
    end
  end
  if admit == 1 then redis.call('HSET', KEYS[1], fp, status .. ':' .. keep) end
  verdicts[#verdicts + 1] = admit
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return verdicts
`;

const STATE_TTL_MS = 30 * 86_400_000;
/** How long an alert's last change is remembered for ordering (and a resolution waits as a tombstone). */
export const ORDER_MEMORY_MS = 86_400_000;

type Scripted = Record<string, (...args: unknown[]) => Promise<unknown>>;

/**
 * Alert groups and per-incident alert state in Redis. The group → incident map plus the
 * store's create idempotency key (`alertgroup:<group>:<generation>`) make concurrent
 * identical alerts open exactly one incident. Group and delivery keys are touched one at a
 * time; an incident's two alert keys go together (record, counts) and share a hash tag.
 */
export class RedisAlertStore implements AlertStore {
  private readonly keys: KeySpace;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = keySpace(redis, prefix);
    redis.defineCommand('ibRecordAlerts', { numberOfKeys: 2, lua: RECORD_SCRIPT });
    redis.defineCommand('ibBindAlertGroup', { numberOfKeys: 1, lua: BIND_SCRIPT });
    redis.defineCommand('ibRetireAlertGroup', { numberOfKeys: 1, lua: RETIRE_SCRIPT });
    redis.defineCommand('ibAdoptAlertGroup', { numberOfKeys: 1, lua: ADOPT_SCRIPT });
    redis.defineCommand('ibAdvanceAlertGroup', { numberOfKeys: 1, lua: ADVANCE_SCRIPT });
    redis.defineCommand('ibAdmitAlertChanges', { numberOfKeys: 1, lua: ADMIT_SCRIPT });
  }

  private get scripts(): Scripted {
    return this.redis as unknown as Scripted;
  }

  private groupKey(groupKey: string): string {
    return this.keys.key(`alertgroup:${alertGroupId(groupKey)}`);
  }

  private alertKey(incidentId: string, what: 'state' | 'meta'): string {
    return this.keys.tagged(`alerts:${incidentId}`, `alerts:${incidentId}:${what}`);
  }

  async group(groupKey: string): Promise<AlertGroupRef> {
    const [gen, incident, last] = await this.redis.hmget(this.groupKey(groupKey), 'gen', 'incident', 'last');
    return { generation: Number(gen ?? 0), incidentId: incident ?? null, lastIncidentId: last ?? null };
  }

  async bind(groupKey: string, generation: number, incidentId: string): Promise<boolean> {
    return (await this.scripts.ibBindAlertGroup!(this.groupKey(groupKey), String(generation), incidentId)) === 1;
  }

  async retire(groupKey: string, incidentId: string): Promise<boolean> {
    return (await this.scripts.ibRetireAlertGroup!(this.groupKey(groupKey), incidentId)) === 1;
  }

  async advance(groupKey: string, fromGeneration: number): Promise<boolean> {
    return (await this.scripts.ibAdvanceAlertGroup!(this.groupKey(groupKey), String(fromGeneration))) === 1;
  }

  async adopt(groupKey: string, incidentId: string): Promise<boolean> {
    return (await this.scripts.ibAdoptAlertGroup!(this.groupKey(groupKey), incidentId)) === 1;
  }

  /**
   * Which of these alert changes are newer than what the group last recorded for each alert
   * (ADMIT_SCRIPT's rules); the admitted ones are recorded in the same step.
   */
  async admitInOrder(
    groupKey: string,
    changes: { fingerprint: string; status: 'firing' | 'resolved'; at: number | null }[],
  ): Promise<boolean[]> {
    const triples = changes.flatMap((c) => [c.fingerprint, c.status, c.at === null ? '' : String(c.at)]);
    const verdicts = (await this.scripts.ibAdmitAlertChanges!(
      this.keys.key(`alerttimes:${alertGroupId(groupKey)}`),
      String(ORDER_MEMORY_MS),
      ...triples,
    )) as number[];
    return verdicts.map((v) => v === 1);
  }

  async record(incidentId: string, alerts: { fingerprint: string; value: string }[]): Promise<AlertRecord> {
    const pairs = alerts.flatMap((a) => [a.fingerprint, a.value]);
    const [firing, total, receipts, seq, changed, added] = (await this.scripts.ibRecordAlerts!(
      this.alertKey(incidentId, 'state'),
      this.alertKey(incidentId, 'meta'),
      String(alerts.length),
      String(STATE_TTL_MS),
      ...pairs,
    )) as number[];
    return { firing: firing!, resolved: total! - firing!, total: total!, receipts: receipts!, seq: seq!, changed: changed!, added: added! };
  }

  /** A merged incident's alert state goes with its group to the incident it was merged into. */
  async moveState(fromIncidentId: string, toIncidentId: string): Promise<void> {
    const [state, meta] = await Promise.all([
      this.redis.hgetall(this.alertKey(fromIncidentId, 'state')),
      this.redis.hgetall(this.alertKey(fromIncidentId, 'meta')),
    ]);
    const to = this.redis.multi();
    if (Object.keys(state).length)
      to.hset(this.alertKey(toIncidentId, 'state'), state).pexpire(this.alertKey(toIncidentId, 'state'), STATE_TTL_MS);
    if (Object.keys(meta).length)
      to.hset(this.alertKey(toIncidentId, 'meta'), meta).pexpire(this.alertKey(toIncidentId, 'meta'), STATE_TTL_MS);
    await to.exec();
  }

  /** Current counts for an incident (read API). */
  async counts(incidentId: string): Promise<{ firing: number; resolved: number; total: number; receipts: number } | null> {
    const [[, meta], [, total]] = ((await this.redis
      .multi()
      .hmget(this.alertKey(incidentId, 'meta'), 'firing', 'receipts')
      .hlen(this.alertKey(incidentId, 'state'))
      .exec()) ?? []) as [[unknown, (string | null)[]], [unknown, number]];
    if (!total) return null;
    const firing = Number(meta[0] ?? 0);
    return { firing, resolved: total - firing, total, receipts: Number(meta[1] ?? 0) };
  }

  /** First delivery of a sender's event id wins; repeats within the TTL are duplicates. */
  async claimDelivery(source: string, deliveryId: string, ttlMs = 86_400_000): Promise<boolean> {
    return (await this.redis.set(this.keys.key(`alertdelivery:${source}:${deliveryId}`), '1', 'PX', ttlMs, 'NX')) === 'OK';
  }

  /** Gives a delivery back after a failure so the sender's retry is processed. */
  async releaseDelivery(source: string, deliveryId: string): Promise<void> {
    await this.redis.del(this.keys.key(`alertdelivery:${source}:${deliveryId}`));
  }
}
