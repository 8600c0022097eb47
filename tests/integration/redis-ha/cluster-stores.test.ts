import { randomUUID } from 'node:crypto';
import type { Cluster } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../../src/adapters/outbound/redis/connect-redis';
import { RedisAlertStore } from '../../../src/adapters/outbound/redis/redis-alert-store';
import { RedisIdempotency } from '../../../src/adapters/outbound/redis/redis-idempotency';
import { RedisIncidentStore } from '../../../src/adapters/outbound/redis/redis-incident-store';
import { RedisPaperTrailStore } from '../../../src/adapters/outbound/redis/redis-paper-trail-store';
import { RedisRollbackRecords } from '../../../src/adapters/outbound/redis/redis-rollback-records';
import { RedisRollbackRequests } from '../../../src/adapters/outbound/redis/redis-rollback-requests';
import { RedisSerialRunner } from '../../../src/adapters/outbound/redis/redis-serial-runner';
import { RedisTimerEngine } from '../../../src/adapters/outbound/timers/redis-timer-engine';
import { runOnce } from '../../../src/adapters/outbound/timers/run-once';
import { acknowledge, createIncident, resolve } from '../../../src/domain/incident';
import { addApproval, claimExecution, createRequest } from '../../../src/domain/rollback/rollback-request';
import { askNode, startCluster, waitFor, type TestCluster } from '../../support/redis-servers';

// The stores' key paths on a real 3-primary Redis Cluster: every script and MULTI must find
// its keys in one slot (a CROSSSLOT error fails the test), and state must be shared by two
// separate cluster connections, as two replicas of the bot share it.
const logger = pino({ level: 'silent' });
const prefix = `ibtest:cluster:${randomUUID().slice(0, 8)}:`;
const T0 = Date.UTC(2026, 10, 21, 9, 0);
let cluster: TestCluster;
let a: Cluster;
let b: Cluster;

const connect = () =>
  connectRedis({
    REDIS_URL: 'redis://unused',
    REDIS_CLUSTER_NODES: cluster.nodes.map((n) => ({ host: '127.0.0.1', port: n.port })),
  }) as Cluster;

beforeAll(async () => {
  cluster = await startCluster();
  a = connect();
  b = connect();
  await Promise.all(
    [a, b].map((c) => waitFor('cluster client ready', async () => c.status === 'ready' && (await c.ping()) === 'PONG', 30_000)),
  );
}, 120_000);

afterAll(async () => {
  a?.disconnect();
  b?.disconnect();
  await cluster?.stop();
});

describe('stores on a real Redis Cluster', () => {
  it('is a cluster whose keys land on several primaries', async () => {
    expect(a.isCluster).toBe(true);
    const slots = (await Promise.all(
      ['x', 'y', 'z', 'w', 'v'].map((k) => a.cluster('KEYSLOT', `${prefix}{effects:${k}}:effects:${k}`)),
    )) as number[];
    expect(new Set(slots).size).toBeGreaterThan(1);
  });

  it('creates incidents atomically, once per idempotency key, with one id sequence across connections', async () => {
    const storeA = new RedisIncidentStore(a, prefix);
    const storeB = new RedisIncidentStore(b, prefix);
    const build = (title: string) => createIncident('', { title, severity: 'P1', openedBy: 'U0ALICE', service: 'checkout' }, T0);
    // Two "replicas" race the same alert-group create five times each: one incident.
    const raced = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? storeA : storeB).create(build('raced'), 'alertgroup:g1:0')),
    );
    expect(raced.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(raced.map((r) => r.incident.id)).size).toBe(1);
    const second = await storeB.create(build('second'));
    expect(second.incident.id).toBe('INC-20261121-002');
    expect(raced[0]!.incident.id).toBe('INC-20261121-001');
    expect((await storeA.timeline(second.incident.id)).map((e) => e.kind)).toContain('opened');
    expect((await storeB.listOpen()).map((i) => i.id)).toEqual(['INC-20261121-001', 'INC-20261121-002']);
    expect((await storeA.listAll()).map((i) => i.id)).toEqual(['INC-20261121-002', 'INC-20261121-001']);
  });

  it('updates with compare-and-set from two connections at once, timeline and open index in step', async () => {
    const storeA = new RedisIncidentStore(a, prefix);
    const storeB = new RedisIncidentStore(b, prefix);
    const { incident } = await storeA.create(createIncident('', { title: 'cas', severity: 'P2', openedBy: 'U0ALICE' }, T0));
    const [x, y] = await Promise.all([
      storeA.update(incident.id, (i) => acknowledge(i, 'U0ANN', T0 + 1)),
      storeB.update(incident.id, (i) => acknowledge(i, 'U0BEN', T0 + 2)),
    ]);
    expect([x.ok, y.ok].filter(Boolean)).toHaveLength(1);
    const resolved = await storeB.update(incident.id, (i) => resolve(i, 'U0ANN', T0 + 3, 'fixed'));
    expect(resolved.ok).toBe(true);
    expect((await storeA.listOpen()).map((i) => i.id)).not.toContain(incident.id);
    await storeA.appendTimeline(incident.id, [
      { kind: 'note', at: T0 + 4, by: 'U0ANN', text: 'after', details: { effect: 'e-1' } } as never,
    ]);
    expect(await storeB.timelineHasEffect(incident.id, 'e-1', 0)).toBe(true);
    const kinds = (await storeB.timeline(incident.id)).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'acknowledged')).toHaveLength(1);
    expect(kinds).toContain('resolution_summary');
    await storeA.linkChannel('C0INC', incident.id);
    expect(await storeB.incidentForChannel('C0INC')).toBe(incident.id);
  });

  it("groups alerts and counts them per incident (script + MULTI on the incident's alert keys)", async () => {
    const alertsA = new RedisAlertStore(a, prefix);
    const alertsB = new RedisAlertStore(b, prefix);
    const group = await alertsA.group('checkout-5xx');
    expect(group).toEqual({ generation: 0, incidentId: null, lastIncidentId: null });
    expect(await alertsA.bind('checkout-5xx', 0, 'INC-20261121-009')).toBe(true);
    expect(await alertsB.bind('checkout-5xx', 5, 'INC-20261121-010')).toBe(false);
    expect(await alertsB.group('checkout-5xx')).toEqual({
      generation: 0,
      incidentId: 'INC-20261121-009',
      lastIncidentId: 'INC-20261121-009',
    });
    const first = await alertsA.record('INC-20261121-009', [
      { fingerprint: 'f1', value: 'firing:P1' },
      { fingerprint: 'f2', value: 'firing:P2' },
    ]);
    const repeat = await alertsB.record('INC-20261121-009', [{ fingerprint: 'f1', value: 'firing:P1' }]);
    const resolved = await alertsB.record('INC-20261121-009', [{ fingerprint: 'f2', value: 'resolved:P2' }]);
    expect(first).toMatchObject({ firing: 2, total: 2, changed: 2, added: 2 });
    expect(repeat).toMatchObject({ firing: 2, changed: 0, receipts: 3 });
    expect(resolved).toMatchObject({ firing: 1, resolved: 1 });
    expect(await alertsA.counts('INC-20261121-009')).toEqual({ firing: 1, resolved: 1, total: 2, receipts: 4 });
    expect(await alertsB.retire('checkout-5xx', 'INC-20261121-009')).toBe(true);
    expect(await alertsA.adopt('checkout-5xx', 'INC-20261121-009')).toBe(true);
    expect(await alertsA.claimDelivery('pagerduty', 'd-1')).toBe(true);
    expect(await alertsB.claimDelivery('pagerduty', 'd-1')).toBe(false);
  });

  it('approves a rollback request once and hands its execution to exactly one claimant', async () => {
    const reqA = new RedisRollbackRequests(a, prefix);
    const reqB = new RedisRollbackRequests(b, prefix);
    const incidentId = 'INC-20261121-020';
    const id = await reqA.nextId(incidentId);
    expect(id).toBe(`${incidentId}-R1`);
    await reqA.create(
      createRequest(
        {
          id,
          incidentId,
          service: 'checkout',
          release: 'v41',
          level: 'component',
          requestedBy: 'U0REQ',
          severity: 'P1',
          approvalsNeeded: 1,
          ttlMs: 600_000,
          readiness: { passed: true, checks: [], at: T0 },
          runners: ['script'],
          auto: false,
        },
        T0,
      ),
    );
    await expect(
      reqB.create(
        createRequest(
          {
            id,
            incidentId,
            service: 'checkout',
            release: 'v41',
            level: 'component',
            requestedBy: 'U0REQ',
            severity: 'P1',
            approvalsNeeded: 1,
            ttlMs: 600_000,
            readiness: { passed: true, checks: [], at: T0 },
            runners: ['script'],
            auto: false,
          },
          T0,
        ),
      ),
    ).rejects.toThrow('already exists');
    // Double clicks from two approvers on two replicas: exactly one approval lands.
    const approvals = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? reqA : reqB).update(id, (r) => addApproval(r, `U0AP${i}`, T0 + i))),
    );
    expect(approvals.filter((r) => r.ok)).toHaveLength(1);
    const claims = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const store = i % 2 ? reqA : reqB;
        const token = await store.nextToken(id);
        return store.update(id, (r) => claimExecution(r, token, T0 + 100));
      }),
    );
    expect(claims.filter((r) => r.ok)).toHaveLength(1);
    expect((await reqB.active()).map((r) => r.id)).toEqual([id]);
    expect((await reqA.forIncident(incidentId)).map((r) => r.status)).toEqual(['queued']);
    const token = (await reqA.get(id))!.execution!.token;
    await reqA.markAlive(id, token, 5_000);
    expect(await reqB.touchAlive(id, token, 5_000)).toBe(true);
    expect(await reqB.touchAlive(id, token + 100, 5_000)).toBe(false);
    expect(await reqA.isAlive(id)).toBe(true);
  });

  it('runOnce, serial runner, idempotency, paper trail and rollback records work on the cluster', async () => {
    let runs = 0;
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => runOnce(i % 2 ? a : b, prefix, 'INC-20261121-030:announce', 60_000, async () => ++runs)),
    );
    expect(runs).toBe(1);
    expect(results.filter((r) => r.outcome === 'ran')).toHaveLength(1);
    expect(await new RedisIdempotency(b, prefix).once('INC-20261121-030:announce', 60_000, async () => ++runs)).toEqual({
      outcome: 'already_done',
    });

    let passes = 0;
    const serialA = new RedisSerialRunner(a, prefix);
    const serialB = new RedisSerialRunner(b, prefix);
    const outcomes = await Promise.all([
      serialA.run('INC-1', 'job-a', async () => {
        passes++;
        await new Promise((r) => setTimeout(r, 200));
      }),
      serialB.run('INC-1', 'job-b', async () => {
        passes++;
      }),
    ]);
    expect(outcomes.sort()).toEqual(['handed_over', 'ran']);
    expect(passes).toBe(2); // the owner made one more pass for the one that handed over

    const idem = new RedisIdempotency(a, prefix);
    expect(await idem.claim('view:V1', 60_000)).toBe(true);
    expect(await new RedisIdempotency(b, prefix).claim('view:V1', 60_000)).toBe(false);

    const trail = new RedisPaperTrailStore(a, prefix);
    const first = await trail.saveReport('INC-20261121-030', { resolution: 'r', summary: 's' } as never, 'U0A', T0);
    const second = await new RedisPaperTrailStore(b, prefix).saveReport(
      'INC-20261121-030',
      { resolution: 'r2', summary: 's' } as never,
      'U0A',
      T0,
    );
    expect([first.revision, second.revision]).toEqual([1, 2]);

    const records = new RedisRollbackRecords(b, prefix);
    await records.setSignalsAtRollback('INC-20261121-030', { error_rate: 0.2 });
    await records.setSignalsAtRollback('INC-20261121-030', { error_rate: 0.9 });
    expect(await new RedisRollbackRecords(a, prefix).signalsAtRollback('INC-20261121-030')).toEqual({ error_rate: 0.2 });
  });

  it("fires each timer once with two engines competing, and cancels an incident's timers", async () => {
    const fires: string[] = [];
    const engines = [a, b].map((c) => new RedisTimerEngine({ redis: c, prefix, logger, pollMs: 100, leaseMs: 3_000 }));
    try {
      const now = Date.now();
      for (let i = 0; i < 20; i++)
        await engines[i % 2]!.schedule({ key: `INC-20261121-040:remind:${i}`, kind: 'remind', dueAt: now + 200 + i * 20, payload: {} });
      await engines[0]!.schedule({ key: 'INC-20261121-041:remind:0', kind: 'remind', dueAt: now + 60_000, payload: {} });
      expect(await engines[1]!.schedule({ key: 'INC-20261121-040:remind:0', kind: 'remind', dueAt: now, payload: {} })).toBe('exists');
      for (const e of engines) e.start({ remind: async (t) => void fires.push(t.key) });
      await waitFor('20 timers fired', async () => fires.length >= 20, 30_000, 50);
      await new Promise((r) => setTimeout(r, 500));
      expect(fires.length).toBe(20);
      expect(new Set(fires).size).toBe(20);
      expect(await engines[1]!.schedule({ key: 'INC-20261121-040:remind:3', kind: 'remind', dueAt: now, payload: {} })).toBe('fired');
      expect((await engines[1]!.list('INC-20261121-041:')).map((t) => t.key)).toEqual(['INC-20261121-041:remind:0']);
      expect(await engines[0]!.cancelIncident('INC-20261121-041')).toBe(1);
      expect(await engines[1]!.list()).toEqual([]);
    } finally {
      await Promise.all(engines.map((e) => e.stop()));
    }
  });

  it('names keys with the hash tags the docs state, so each group shares one slot', async () => {
    // Read the real key names back from the nodes (SCAN on each primary) and group them by slot.
    const keys: string[] = [];
    for (const node of cluster.nodes) {
      let cursor = '0';
      do {
        const [next, found] = (await askNode(node.port, 'SCAN', cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)) as [string, string[]];
        cursor = next;
        keys.push(...found);
      } while (cursor !== '0');
    }
    const rest = (key: string) => key.slice(prefix.length);
    expect(keys.map(rest)).toEqual(
      expect.arrayContaining([
        '{incidents}:incident:INC-20261121-001',
        '{incidents}:incidents:open',
        '{incidents}:timeline:INC-20261121-001',
        '{incidents}:seq:20261121',
        '{incidents}:idem:alertgroup:g1:0',
        '{timers}:timers:fired',
        '{rollback}:rollback:request:INC-20261121-020-R1',
        '{rollback}:rollback:active',
        '{alerts:INC-20261121-009}:alerts:INC-20261121-009:state',
        '{effects:INC-20261121-030:announce}:effects:INC-20261121-030:announce',
        'alertgroup:checkout-5xx',
      ]),
    );
    const slotOf = async (key: string) => Number(await a.cluster('KEYSLOT', key));
    for (const tag of ['{incidents}', '{timers}', '{rollback}']) {
      const slots = new Set(await Promise.all(keys.filter((k) => rest(k).startsWith(tag)).map(slotOf)));
      expect(slots.size, tag).toBe(1);
    }
  });
});
