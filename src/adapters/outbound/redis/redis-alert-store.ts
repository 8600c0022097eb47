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

const STATE_TTL_MS = 30 * 86_400_000;

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
