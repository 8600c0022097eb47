import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../../src/adapters/outbound/redis/connect-redis';
import { RedisIncidentStore } from '../../../src/adapters/outbound/redis/redis-incident-store';
import { RedisRollbackRequests } from '../../../src/adapters/outbound/redis/redis-rollback-requests';
import { RedisTimerEngine } from '../../../src/adapters/outbound/timers/redis-timer-engine';
import type { ScheduledTimer } from '../../../src/app/ports/timer-engine';
import { runOnce } from '../../../src/adapters/outbound/timers/run-once';
import { createIncident } from '../../../src/domain/incident';
import { addApproval, claimExecution, createRequest } from '../../../src/domain/rollback/rollback-request';
import { askNode, startSentinel, waitFor, type TestSentinel } from '../../support/redis-servers';
import { plainText } from '../../../src/domain/phrase';

// Two "replicas" of the bot on a Sentinel-managed primary; the primary is killed (SIGKILL)
// in the middle of a run of writes, approvals and timers. The README's promises are checked:
// no duplicate incident or rollback, every timer fires once, and writes that are lost were
// acknowledged inside the stated window before the crash.
const logger = pino({ level: 'silent' });
const prefix = `ibtest:sentinel:${randomUUID().slice(0, 8)}:`;
/** The README's statement for writes not confirmed by WAIT (see "Redis: single node, Sentinel or Cluster"). */
const STATED_LOSS_WINDOW_MS = 1_000;
const T0 = Date.UTC(2026, 10, 21, 9, 0);
let sentinel: TestSentinel;
let a: Redis;
let b: Redis;

beforeAll(async () => {
  sentinel = await startSentinel('ibmaster');
  const target = {
    REDIS_URL: 'redis://unused',
    REDIS_SENTINELS: sentinel.sentinels.map((s) => ({ host: '127.0.0.1', port: s.port })),
    REDIS_SENTINEL_MASTER: sentinel.master,
  };
  a = connectRedis(target) as Redis;
  b = connectRedis(target) as Redis;
  for (const c of [a, b]) c.on('error', () => undefined); // expected while the primary is down
  await Promise.all([a, b].map((c) => waitFor('sentinel client ready', async () => (await c.ping()) === 'PONG', 30_000)));
}, 120_000);

afterAll(async () => {
  a?.disconnect();
  b?.disconnect();
  await sentinel?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a Sentinel failover during a run', () => {
  it('loses no confirmed write, duplicates no incident or rollback, fires every timer once', async () => {
    expect(await a.call('ROLE').then((r) => (r as string[])[0])).toBe('master');
    const storeA = new RedisIncidentStore(a, prefix);
    const storeB = new RedisIncidentStore(b, prefix);
    const rollbacksA = new RedisRollbackRequests(a, prefix);
    const rollbacksB = new RedisRollbackRequests(b, prefix);
    const { incident: home } = await storeA.create(
      createIncident('', { title: 'timer effects land here', severity: 'P1', openedBy: 'U0ALICE' }, T0),
    );

    // Two rollback requests: R1 is approved just before the crash, R2 is decided during it.
    const newRequest = (id: string) =>
      createRequest(
        {
          id,
          incidentId: home.id,
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
      );
    const r1 = await rollbacksA.create(newRequest(await rollbacksA.nextId(home.id)));
    const r2 = await rollbacksA.create(newRequest(await rollbacksA.nextId(home.id)));

    // Timers due before, during and after the failover; each effect is a timeline entry, made once with runOnce.
    const timerKeys = Array.from({ length: 30 }, (_, i) => `${home.id}:remind:${i}`);
    const started = Date.now();
    const effectHandler = (redis: Redis, store: RedisIncidentStore) => async (timer: ScheduledTimer) => {
      const effect = `fx:${timer.key}`;
      const result = await runOnce(
        redis,
        prefix,
        effect,
        3_600_000,
        () => store.appendTimeline(home.id, [{ at: Date.now(), actor: 'bot', kind: 'note', text: timer.key, details: { effect } }]),
        {
          claimMs: 2_000,
          waitMs: 3_000,
          alreadyHappened: (since) => store.timelineHasEffect(home.id, effect, since),
        },
      );
      if (result.outcome === 'in_progress') throw new Error('effect in progress elsewhere');
    };
    const engines = [
      new RedisTimerEngine({
        redis: a,
        prefix,
        logger,
        pollMs: 100,
        leaseMs: 2_000,
        retryBaseMs: 200,
        retryMaxMs: 1_000,
        maxAttempts: 1_000,
      }),
      new RedisTimerEngine({
        redis: b,
        prefix,
        logger,
        pollMs: 100,
        leaseMs: 2_000,
        retryBaseMs: 200,
        retryMaxMs: 1_000,
        maxAttempts: 1_000,
      }),
    ];
    for (const [i, key] of timerKeys.entries())
      await engines[i % 2]!.schedule({ key, kind: 'remind', dueAt: started + 500 + i * 250, payload: {} });
    engines[0]!.start({ remind: effectHandler(a, storeA) });
    engines[1]!.start({ remind: effectHandler(b, storeB) });

    // Writers: incident creates (what an alert sender retries with the same key until answered)
    // and plain unconfirmed SETs, both timed.
    let writing = true;
    const creates: { key: string; id: string; ackAt: number }[] = [];
    const createFailures: number[] = [];
    const plain: { n: number; ackAt: number }[] = [];
    const plainFailures: number[] = [];
    const createLoop = (async () => {
      for (let i = 0; writing; i++) {
        const key = `w-${i}`;
        for (;;) {
          try {
            const { incident } = await storeA.create(createIncident('', { title: key, severity: 'P3', openedBy: 'U0BOT' }, T0), key);
            creates.push({ key, id: incident.id, ackAt: Date.now() });
            break;
          } catch {
            createFailures.push(Date.now());
            await sleep(50);
          }
        }
        await sleep(10);
      }
    })();
    const plainLoop = (async () => {
      for (let n = 0; writing; n++) {
        try {
          await b.set(`${prefix}plain:${n}`, String(n));
          plain.push({ n, ackAt: Date.now() });
        } catch {
          plainFailures.push(Date.now());
          await sleep(50);
        }
        await sleep(5);
      }
    })();

    await sleep(1_200);
    expect((await rollbacksB.update(r1.id, (r) => addApproval(r, 'U0APP', T0))).ok).toBe(true);
    await sleep(300);
    const killedAt = Date.now();
    sentinel.primary.kill9();

    // R2: two approvers click during the failover, each retrying until they get an answer.
    const decide = async (store: RedisRollbackRequests, user: string) => {
      for (;;) {
        try {
          return await store.update(r2.id, (r) => addApproval(r, user, T0));
        } catch {
          await sleep(100);
        }
      }
    };
    const claim = async (store: RedisRollbackRequests, id: string) => {
      for (;;) {
        try {
          const token = await store.nextToken(id);
          return await store.update(id, (r) => claimExecution(r, token, T0));
        } catch {
          await sleep(100);
        }
      }
    };
    await sleep(200);
    const [d1, d2] = await Promise.all([decide(rollbacksA, 'U0ANN'), decide(rollbacksB, 'U0BEN')]);

    const newPrimary = await waitFor(
      'sentinels to agree on the replica as primary',
      async () => ((await sentinel.reportedPrimary()) === sentinel.replica.port ? sentinel.replica.port : undefined),
      60_000,
      200,
    );
    expect(newPrimary).toBe(sentinel.replica.port);
    // Both clients write again (to the new primary).
    await waitFor('client a writing again', async () => (await a.set(`${prefix}probe:a`, '1')) === 'OK', 60_000, 200);
    await waitFor('client b writing again', async () => (await b.set(`${prefix}probe:b`, '1')) === 'OK', 60_000, 200);
    const resumedAt = Math.min(...[...creates.map((c) => c.ackAt), ...plain.map((p) => p.ackAt)].filter((t) => t > killedAt));

    // R1 was approved before the crash: a second approval must be refused, not land again.
    const again = await rollbacksB.update(r1.id, (r) => addApproval(r, 'U0OTHER', T0));
    expect(again.ok).toBe(false);
    const [c1, c2, c3, c4] = await Promise.all([
      claim(rollbacksA, r1.id),
      claim(rollbacksB, r1.id),
      claim(rollbacksA, r2.id),
      claim(rollbacksB, r2.id),
    ]);

    await sleep(1_000);
    writing = false;
    await Promise.all([createLoop, plainLoop]);

    // Every timer fired, each effect exactly once.
    await waitFor(
      'every timer effect in the timeline',
      async () => {
        const texts = (await storeA.timeline(home.id)).filter((e) => e.kind === 'note').map((e) => e.text);
        return timerKeys.every((k) => texts.includes(k));
      },
      60_000,
      200,
    );
    await waitFor('the timer engines to be idle', async () => (await engines[0]!.list()).length === 0, 30_000, 200);
    await Promise.all(engines.map((e) => e.stop()));
    const notes = (await storeA.timeline(home.id)).filter((e) => e.kind === 'note').map((e) => plainText(e.text));
    expect(notes.filter((t) => timerKeys.includes(t ?? '')).sort()).toEqual([...timerKeys].sort());

    // Rollbacks: one approval of R2, one execution claim of each.
    expect([d1, d2].filter((d) => d.ok)).toHaveLength(1);
    expect([c1, c2].filter((c) => c.ok)).toHaveLength(1);
    expect([c3, c4].filter((c) => c.ok)).toHaveLength(1);
    for (const id of [r1.id, r2.id]) {
      const stored = await rollbacksA.get(id);
      expect(stored).toMatchObject({ status: 'queued', approvals: [expect.anything()] });
    }

    // Incidents: every acknowledged create is there under its id; no title twice; ids unique.
    const all = await storeB.listAll(100_000);
    const byTitle = new Map<string, string[]>();
    for (const incident of all) byTitle.set(incident.title, [...(byTitle.get(incident.title) ?? []), incident.id]);
    expect([...byTitle.entries()].filter(([, ids]) => ids.length > 1)).toEqual([]);
    expect(new Set(all.map((i) => i.id)).size).toBe(all.length);
    const lostCreates = creates.filter((c) => byTitle.get(c.key)?.[0] !== c.id);
    for (const lost of lostCreates) expect(killedAt - lost.ackAt).toBeLessThanOrEqual(STATED_LOSS_WINDOW_MS);

    // Plain writes: any lost one was acknowledged inside the stated window before the crash.
    const survived = await b.mget(...plain.map((p) => `${prefix}plain:${p.n}`));
    const lostPlain = plain.filter((_, i) => survived[i] === null);
    for (const lost of lostPlain) expect(killedAt - lost.ackAt).toBeLessThanOrEqual(STATED_LOSS_WINDOW_MS);

    const lastBefore = Math.max(...[...creates, ...plain].map((w) => w.ackAt).filter((t) => t <= killedAt));
    console.log(
      `sentinel failover: writes failed for ${resumedAt - killedAt} ms after the kill (last ack ${killedAt - lastBefore} ms before it); ` +
        `creates ${creates.length} acked, ${createFailures.length} failed attempts, ${lostCreates.length} lost; ` +
        `plain writes ${plain.length} acked, ${plainFailures.length} failed, ${lostPlain.length} lost; sentinels agreed on the new primary ${newPrimary}`,
    );
    expect(creates.some((c) => c.ackAt > resumedAt)).toBe(true);
  }, 180_000);

  it('after the failover the client writes to the promoted replica', async () => {
    const info = String(await askNode(sentinel.replica.port, 'INFO', 'replication'));
    expect(info).toContain('role:master');
    expect(await a.set(`${prefix}after`, 'x')).toBe('OK');
    expect(await askNode(sentinel.replica.port, 'GET', `${prefix}after`)).toBe('x');
  });
});
