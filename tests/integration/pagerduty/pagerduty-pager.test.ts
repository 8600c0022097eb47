import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PagerDutyPager } from '../../../src/adapters/outbound/pagerduty/pagerduty-pager';
import { createIncident } from '../../../src/domain/incident';
import { startPagerDutyStandIn, type PagerDutyStandIn } from '../../support/pagerduty-stand-in';

const ROUTING_KEY = 'R0UT1NGKEY0000000000000000000001';
const logger = pino({ level: 'silent' });
const { incident } = createIncident(
  'INC-20260101-042',
  { title: 'Checkout 500s', severity: 'P0', openedBy: 'U1', service: 'checkout' },
  Date.UTC(2026, 0, 1),
);

describe('PagerDutyPager against a TLS stand-in', () => {
  let pd: PagerDutyStandIn;
  let pager: PagerDutyPager;

  beforeAll(async () => {
    pd = await startPagerDutyStandIn();
  });
  afterAll(async () => pd.close());
  beforeEach(() => {
    pd.requests.length = 0;
    pd.alerts.clear();
    pd.failNext(0);
    pd.down(false);
    pager = new PagerDutyPager({
      routingKey: ROUTING_KEY,
      token: pd.token,
      eventsUrl: pd.url,
      apiUrl: pd.url,
      ca: pd.ca,
      logger,
      retry: { maxAttempts: 3, attemptTimeoutMs: 1_000, backoffMs: 50, maxBackoffMs: 200 },
    });
  });

  it('triggers, acknowledges and resolves one alert keyed by the incident id', async () => {
    const triggered = await pager.trigger(incident, { links: [{ href: 'https://slack.example/archives/C1/p1', text: 'Slack thread' }] });
    expect(triggered).toEqual({ ok: true, status: 202, attempts: 1, dedupKey: 'INC-20260101-042' });
    expect(await pager.acknowledge(incident.id)).toMatchObject({ ok: true, status: 202 });
    expect(await pager.resolve(incident.id)).toMatchObject({ ok: true, status: 202 });

    expect(
      pd.requests.map((r) => [r.method, r.path, (r.body as any).event_action, (r.body as any).dedup_key, (r.body as any).routing_key]),
    ).toEqual([
      ['POST', '/v2/enqueue', 'trigger', 'INC-20260101-042', ROUTING_KEY],
      ['POST', '/v2/enqueue', 'acknowledge', 'INC-20260101-042', ROUTING_KEY],
      ['POST', '/v2/enqueue', 'resolve', 'INC-20260101-042', ROUTING_KEY],
    ]);
    expect((pd.requests[0]!.body as any).payload).toMatchObject({
      summary: '[P0] INC-20260101-042: Checkout 500s',
      source: 'checkout',
      severity: 'critical',
      component: 'checkout',
    });
    expect((pd.requests[0]!.body as any).links).toEqual([{ href: 'https://slack.example/archives/C1/p1', text: 'Slack thread' }]);
    expect(pd.alerts.get('INC-20260101-042')).toMatchObject({
      status: 'resolved',
      opened: 1,
      events: ['trigger', 'acknowledge', 'resolve'],
    });
  });

  it('uses a per-service routing key when given', async () => {
    await pager.trigger(incident, { routingKey: 'SERVICEKEY000000000000000000000X', severity: 'error', summary: 'custom' });
    expect(pd.requests[0]!.body).toMatchObject({
      routing_key: 'SERVICEKEY000000000000000000000X',
      payload: { severity: 'error', summary: 'custom' },
    });
  });

  it('retries a 500 with the same dedup_key: one incident upstream', async () => {
    pd.failNext(1, 500);
    const result = await pager.trigger(incident);
    expect(result).toEqual({ ok: true, status: 202, attempts: 2, dedupKey: incident.id });
    expect(pd.requests.map((r) => [r.status, (r.body as any).dedup_key])).toEqual([
      [500, incident.id],
      [202, incident.id],
    ]);
    expect(pd.alerts.size).toBe(1);
    expect(pd.alerts.get(incident.id)!.opened).toBe(1);
  });

  it('a 429 (rate limited) is retried with the same dedup_key', async () => {
    pd.failNext(2, 429);
    const result = await pager.trigger(incident);
    expect(result.ok).toBe(true);
    expect(pd.requests.map((r) => [r.status, (r.body as any).dedup_key])).toEqual([
      [429, incident.id],
      [429, incident.id],
      [202, incident.id],
    ]);
    expect(pd.alerts.get(incident.id)!.opened).toBe(1);
  });

  it('a trigger repeated (another replica, a retried Slack command) still makes one incident', async () => {
    await pager.trigger(incident);
    await pager.trigger(incident);
    expect(pd.alerts.size).toBe(1);
    expect(pd.alerts.get(incident.id)).toMatchObject({ opened: 1, events: ['trigger', 'trigger'] });
  });

  it('does not retry a 400: the event would not get better', async () => {
    const result = await pager.trigger(incident, { routingKey: '', summary: 'x' });
    expect(result).toMatchObject({ ok: false, attempts: 0, error: 'no PagerDuty routing key configured' });
    pd.failNext(1, 400);
    const rejected = await pager.trigger(incident);
    expect(rejected).toMatchObject({ ok: false, status: 400, attempts: 1 });
    expect(rejected.error).toContain('HTTP 400');
  });

  it.each(['hang', 'reset'] as const)('PagerDuty down (%s) → ok:false within a bounded time, never a throw', async (mode) => {
    pd.down(mode);
    const started = Date.now();
    const result = await pager.trigger(incident);
    const took = Date.now() - started;
    expect(result).toMatchObject({ ok: false, status: null, attempts: 3, dedupKey: incident.id });
    // 3 attempts × 1 s timeout + backoff ≤ 0.3 s: the bound is the policy's, with slack for a busy machine.
    expect(took).toBeLessThan(6_000);
    console.log(`PagerDuty down (${mode}): ok=false after ${took} ms, ${result.attempts} attempts: ${result.error}`);
  });

  it('fails closed on a certificate it was not told to trust (no global TLS bypass)', async () => {
    const untrusting = new PagerDutyPager({
      routingKey: ROUTING_KEY,
      eventsUrl: pd.url,
      logger,
      retry: { maxAttempts: 1, attemptTimeoutMs: 1_000 },
    });
    const result = await untrusting.trigger(incident);
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/certificate/i);
    expect(pd.alerts.size).toBe(0);
  });

  it('looks up who is on call, level by level, with names and emails', async () => {
    pd.setOnCalls([
      { escalationPolicyId: 'PEP1', level: 2, user: { id: 'PU2', name: 'Bea Manager', email: 'bea@example.com' } },
      { escalationPolicyId: 'PEP1', level: 1, user: { id: 'PU1', name: 'Ann Oncall', email: 'ann@example.com' } },
      { escalationPolicyId: 'PEP1', level: 1, user: { id: 'PU1', name: 'Ann Oncall', email: 'ann@example.com' } },
      { escalationPolicyId: 'POTHER', level: 1, user: { id: 'PU9', name: 'Not Ours', email: 'x@example.com' } },
    ]);
    const result = await pager.currentOnCall('PEP1');
    expect(result).toEqual({
      ok: true,
      status: 200,
      attempts: 1,
      oncalls: [
        { name: 'Ann Oncall', email: 'ann@example.com', level: 1 },
        { name: 'Bea Manager', email: 'bea@example.com', level: 2 },
      ],
    });
    const request = pd.requests[0]!;
    expect(request.path).toBe('/oncalls');
    expect(request.query.getAll('escalation_policy_ids[]')).toEqual(['PEP1']);
    expect(request.headers.authorization).toBe(`Token token=${pd.token}`);
    expect(request.headers.accept).toBe('application/vnd.pagerduty+json;version=2');
  });

  it('on-call lookup with a bad token is a clear failure, not a throw', async () => {
    const wrong = new PagerDutyPager({
      token: 'nope',
      apiUrl: pd.url,
      ca: pd.ca,
      logger,
      retry: { maxAttempts: 2, attemptTimeoutMs: 1_000 },
    });
    expect(await wrong.currentOnCall('PEP1')).toMatchObject({
      ok: false,
      status: 401,
      attempts: 1,
      oncalls: [],
      error: 'HTTP 401: Unauthorized',
    });
  });
});
