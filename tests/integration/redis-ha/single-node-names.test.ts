import type { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisAlertStore } from '../../../src/adapters/outbound/redis/redis-alert-store';
import { RedisIncidentStore } from '../../../src/adapters/outbound/redis/redis-incident-store';
import { RedisRollbackRequests } from '../../../src/adapters/outbound/redis/redis-rollback-requests';
import { RedisTimerEngine } from '../../../src/adapters/outbound/timers/redis-timer-engine';
import { runOnce } from '../../../src/adapters/outbound/timers/run-once';
import { createIncident } from '../../../src/domain/incident';
import { createRequest } from '../../../src/domain/rollback/rollback-request';
import { waitFor } from '../../support/redis-servers';
import { createTestRedis } from '../../support/test-redis';

// Data written by the version before Cluster support, key by key as it wrote them (raw
// commands, not today's stores): on a single server the key names did not change, so this
// version reads and continues it with no migration step.
const T0 = Date.UTC(2026, 10, 21, 9, 0);
const ID = 'INC-20261121-001';
let redis: Redis;
let prefix: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ redis, prefix, cleanup } = await createTestRedis('legacy-names'));
  const { incident, events } = createIncident(ID, { title: 'written by the previous version', severity: 'P1', openedBy: 'U0ALICE' }, T0);
  const request = {
    ...createRequest(
      {
        id: `${ID}-R1`,
        incidentId: ID,
        service: 'checkout',
        release: 'v41',
        level: 'component',
        requestedBy: 'U0REQ',
        severity: 'P1',
        approvalsNeeded: 1,
        ttlMs: 3_600_000,
        readiness: { passed: true, checks: [], at: T0 },
        runners: ['script'],
        auto: false,
      },
      T0,
    ),
    version: 1,
  };
  const timer = { key: `${ID}:remind:old`, kind: 'remind', dueAt: Date.now() + 300, payload: { from: 'old' }, scheduledAt: T0 };
  await redis
    .multi()
    .hset(`${prefix}incident:${ID}`, 'json', JSON.stringify({ ...incident, version: 1 }), 'version', '1')
    .zadd(`${prefix}incidents:open`, T0, ID)
    .zadd(`${prefix}incidents:all`, T0, ID)
    .xadd(`${prefix}timeline:${ID}`, '*', 'e', JSON.stringify(events[0]))
    .set(`${prefix}seq:20261121`, '1')
    .set(`${prefix}idem:alertgroup:checkout-5xx:0`, ID)
    .hset(`${prefix}alerts:${ID}:state`, 'fp1', 'firing:P1')
    .hset(`${prefix}alerts:${ID}:meta`, 'firing', '1', 'receipts', '3', 'seq', '1')
    .set(`${prefix}rollback:request:${ID}-R1`, JSON.stringify(request))
    .rpush(`${prefix}rollback:incident:${ID}`, `${ID}-R1`)
    .sadd(`${prefix}rollback:active`, `${ID}-R1`)
    .set(`${prefix}rollback:seq:${ID}`, '1')
    .set(`${prefix}effects:${ID}:announce`, 'done')
    .hset(`${prefix}timers:data`, timer.key, JSON.stringify(timer))
    .zadd(`${prefix}timers:due`, timer.dueAt, timer.key)
    .exec();
});
afterAll(async () => cleanup());

describe('data written in the previous (single-server) key format', () => {
  it('is read and continued by the stores', async () => {
    const store = new RedisIncidentStore(redis, prefix);
    expect(await store.get(ID)).toMatchObject({ id: ID, title: 'written by the previous version', version: 1 });
    expect((await store.listOpen()).map((i) => i.id)).toEqual([ID]);
    // Written before the severity order existed: placed in it at start.
    expect(await store.reindexOpen()).toEqual({ placed: 1, removed: 0 });
    expect((await store.listOpenBySeverity(20)).map((i) => i.id)).toEqual([ID]);
    expect(await store.countOpen()).toBe(1);
    expect((await store.timeline(ID)).map((e) => e.kind)).toEqual(['opened']);
    // The old idempotency record still answers, and the day counter continues.
    const repeat = await store.create(
      createIncident('', { title: 'repeat', severity: 'P1', openedBy: 'U0BOT' }, T0),
      'alertgroup:checkout-5xx:0',
    );
    expect(repeat).toMatchObject({ created: false, incident: { id: ID } });
    expect((await store.create(createIncident('', { title: 'next', severity: 'P2', openedBy: 'U0BOT' }, T0))).incident.id).toBe(
      'INC-20261121-002',
    );

    expect(await new RedisAlertStore(redis, prefix).counts(ID)).toEqual({ firing: 1, resolved: 0, total: 1, receipts: 3 });
    const rollbacks = new RedisRollbackRequests(redis, prefix);
    expect((await rollbacks.active()).map((r) => r.id)).toEqual([`${ID}-R1`]);
    expect(await rollbacks.nextId(ID)).toBe(`${ID}-R2`);
    expect(await runOnce(redis, prefix, `${ID}:announce`, 60_000, async () => 'again')).toEqual({ outcome: 'already_done' });
  });

  it('fires a timer the previous version scheduled', async () => {
    const fired: string[] = [];
    const engine = new RedisTimerEngine({ redis, prefix, logger: pino({ level: 'silent' }), pollMs: 100 });
    engine.start({ remind: async (t) => void fired.push(t.key) });
    try {
      await waitFor('the old timer to fire', async () => fired.length === 1, 10_000, 50);
      expect(fired).toEqual([`${ID}:remind:old`]);
    } finally {
      await engine.stop();
    }
  });
});
