import { describe, expect, it } from 'vitest';
import { DurableDecisions, INTENT_LEASE_MS } from '../../../src/app/durable-decisions';
import type { DecisionIntent } from '../../../src/app/ports/decision-intents';
import type { DecisionOutcome, RollbackDecisions } from '../../../src/app/rollback-decisions';
import { refuse } from '../../../src/domain/result';
import type { RollbackRequest } from '../../../src/domain/rollback/rollback-request';
import { manualClock, silentLogger } from '../../fakes/clock';
import { RecordingReplies } from '../../fakes/notifier';
import { FakeDecisionIntents, FakeRollbackRequests } from '../../fakes/rollback-stores';

const REQUEST = {
  id: 'INC-20261201-001-R1',
  incidentId: 'INC-20261201-001',
  service: 'checkout',
  status: 'pending',
  approvals: [],
  approvalsNeeded: 1,
  decidedBy: null,
} as unknown as RollbackRequest;

/**
 * The decision use case as a stand-in over the fake request store: an approval is stored on
 * the request (what the real one does after its guardrails), `refuseWith` refuses instead,
 * `throwing` fails as a bug would.
 */
function decisionsOver(requests: FakeRollbackRequests) {
  const behaviour = { refuseWith: null as string | null, throwing: false };
  const decide = async (requestId: string, _kind: string, actor: string): Promise<DecisionOutcome> => {
    if (behaviour.throwing) throw new Error('bug');
    if (behaviour.refuseWith) return refuse('guardrail', behaviour.refuseWith);
    const updated = await requests.update(requestId, (r) => ({
      ok: true,
      request: { ...r, status: 'approved', approvals: [...r.approvals, { by: actor, at: 1 }] },
    }));
    if (!updated.ok) return updated;
    return { ok: true, request: updated.request, message: `Approved; ${requestId} is starting.` };
  };
  return { behaviour, decisions: { decide, stop: decide } as unknown as RollbackDecisions };
}

function setup() {
  const clock = manualClock();
  const intents = new FakeDecisionIntents(clock);
  const requests = new FakeRollbackRequests();
  requests.requests.set(REQUEST.id, structuredClone(REQUEST));
  const replies = new RecordingReplies();
  const { behaviour, decisions } = decisionsOver(requests);
  const durable = new DurableDecisions(intents, decisions, requests, replies, silentLogger());
  return { clock, intents, requests, replies, behaviour, durable };
}

const intent = (over: Partial<DecisionIntent> = {}): DecisionIntent => ({
  id: 'click-1',
  requestId: REQUEST.id,
  kind: 'approve',
  actor: 'U0APPROVER',
  origin: { channel: 'C1', ts: '1.0', metadataRequestId: REQUEST.id },
  replyTo: 'https://hooks.slack.test/reply/1',
  at: 0,
  ...over,
});

describe('DurableDecisions: a rollback click is kept until it is applied and told (in-memory ports)', () => {
  it('a click is applied, acknowledged, told, and its intent deleted', async () => {
    const s = setup();
    let acked = false;
    await s.durable.take(intent(), async () => {
      acked = true;
    });
    expect(acked).toBe(true);
    expect((await s.requests.get(REQUEST.id))?.approvals.map((a) => a.by)).toEqual(['U0APPROVER']);
    expect(s.replies.replies).toEqual([{ to: 'https://hooks.slack.test/reply/1', text: `Approved; ${REQUEST.id} is starting.` }]);
    expect(s.intents.intents.size).toBe(0);
  });

  it('when the click cannot be recorded, nothing is applied and the person is told to click again', async () => {
    const s = setup();
    s.intents.failRecord = true;
    await s.durable.take(intent(), async () => {});
    expect((await s.requests.get(REQUEST.id))?.approvals).toEqual([]);
    expect(s.replies.replies[0]?.text).toBe(
      `:warning: Your approve of ${REQUEST.id} was not recorded (the store did not answer); nothing changed. Click again in a moment.`,
    );
  });

  it.each<[string, (b: { refuseWith: string | null; throwing: boolean }) => void, string]>([
    [
      'a refusal is told with its reason',
      (b) => (b.refuseWith = 'You cannot approve your own rollback.'),
      ':warning: You cannot approve your own rollback.',
    ],
    [
      'a failure on our side is told as such, and nothing ran',
      (b) => (b.throwing = true),
      ':warning: Something went wrong on our side; nothing ran twice. Try again, or check the bot logs.',
    ],
  ])('%s', async (_name, arrange, told) => {
    const s = setup();
    arrange(s.behaviour);
    await s.durable.take(intent(), async () => {});
    expect(s.replies.replies.map((r) => r.text)).toEqual([told]);
    expect((await s.requests.get(REQUEST.id))?.approvals).toEqual([]);
    expect(s.intents.intents.size).toBe(0);
  });

  it('a click without a reply address is applied and told to nobody', async () => {
    const s = setup();
    await s.durable.take(intent({ replyTo: null }), async () => {});
    expect((await s.requests.get(REQUEST.id))?.status).toBe('approved');
    expect(s.replies.replies).toEqual([]);
  });

  it('the sweep leaves an intent alone while its holder still has the lease', async () => {
    const s = setup();
    await s.intents.record(intent(), INTENT_LEASE_MS);
    s.clock.advance(INTENT_LEASE_MS - 1);
    expect(await s.durable.sweep()).toBe(0);
    expect((await s.requests.get(REQUEST.id))?.approvals).toEqual([]);
  });

  it('the sweep applies an abandoned click once its lease ran out, and says so', async () => {
    const s = setup();
    await s.intents.record(intent(), INTENT_LEASE_MS);
    s.clock.advance(INTENT_LEASE_MS);
    expect(await s.durable.sweep()).toBe(1);
    expect((await s.requests.get(REQUEST.id))?.approvals.map((a) => a.by)).toEqual(['U0APPROVER']);
    expect(s.replies.replies.map((r) => r.text)).toEqual([`Approved; ${REQUEST.id} is starting. (applied after the bot restarted)`]);
    expect(s.intents.intents.size).toBe(0);
  });

  it('the sweep recognises a click that was applied before its process died, and applies nothing twice', async () => {
    const s = setup();
    await s.requests.update(REQUEST.id, (r) => ({
      ok: true,
      request: { ...r, status: 'approved', approvals: [{ by: 'U0APPROVER', at: 1 }] },
    }));
    await s.intents.record(intent(), INTENT_LEASE_MS);
    s.clock.advance(INTENT_LEASE_MS);
    await s.durable.sweep();
    expect((await s.requests.get(REQUEST.id))?.approvals).toHaveLength(1);
    expect(s.replies.replies[0]?.text).toBe(
      `Recorded. ${REQUEST.id} is already approved and starting; it runs once. (applied after the bot restarted)`,
    );
  });
});
