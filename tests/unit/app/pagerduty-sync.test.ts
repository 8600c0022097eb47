import { describe, expect, it } from 'vitest';
import { IncidentService } from '../../../src/app/incident-service';
import type { OnCallPerson } from '../../../src/app/ports/pager';
import { PAGERDUTY_TIMER_KINDS, PagerDutySync } from '../../../src/app/sla/pagerduty-sync';
import type { SlaConfig } from '../../../src/config/sla-schema';
import type { DrillMark } from '../../../src/domain/drills/drill-mark';
import type { NewIncident } from '../../../src/domain/incident';
import { DEFAULT_SLA_POLICY } from '../../../src/domain/sla-policy';
import { FakeChannelMembers, FakeChatAccounts } from '../../fakes/channel-members';
import { createMetrics, manualClock, silentLogger } from '../../fakes/clock';
import { FakeIncidentStore } from '../../fakes/incident-store';
import { FakePager } from '../../fakes/pager';
import { FakeIdempotencyMarks, fakeRunOnce } from '../../fakes/run-once';
import { FakeTimerEngine } from '../../fakes/timer-engine';

const MINUTE = 60_000;
const REFRESH = 30 * MINUTE;
const CHANNEL = { id: 'C0INC1', name: 'inc-checkout-errors' };

const ALICE: OnCallPerson = { name: 'Alice', email: 'alice@example.com', level: 1 };
const BOB: OnCallPerson = { name: 'Bob', email: 'bob@example.com', level: 2 };
const CAROL: OnCallPerson = { name: 'Carol', email: 'carol@example.com', level: 1 };

function settings(pagerDuty: Partial<SlaConfig['pagerDuty']> = {}): SlaConfig {
  return {
    planOptions: {},
    escalation: { level2: [], level3: [] },
    pagerDuty: {
      enabled: true,
      escalationPolicy: 'PDEFAULT1',
      pageSeverities: ['P0', 'P1'],
      onCallRefreshMs: REFRESH,
      inviteOnCall: true,
      ...pagerDuty,
    },
    services: { payments: { escalationPolicy: 'PPAYMENTS1' } },
  };
}

function setup(options: { canPage?: boolean; canLookUp?: boolean; chat?: boolean; settings?: SlaConfig } = {}) {
  const store = new FakeIncidentStore();
  const clock = manualClock();
  const timers = new FakeTimerEngine(clock);
  const pager = new FakePager();
  pager.oncalls = [ALICE, BOB];
  const service = new IncidentService({ store, clock, log: silentLogger(), metrics: createMetrics(), slaPolicy: DEFAULT_SLA_POLICY });
  const redrawn: string[] = [];
  const sync = new PagerDutySync({
    pager,
    canPage: options.canPage ?? true,
    canLookUp: options.canLookUp ?? true,
    settings: options.settings ?? settings(),
    store,
    timers,
    marks: new FakeIdempotencyMarks(),
    once: fakeRunOnce(),
    clock,
    metrics: createMetrics(),
    log: silentLogger(),
    refresh: async (id) => {
      redrawn.push(id);
    },
  });
  const accounts = new FakeChatAccounts().add(ALICE.email!, 'U0ALICE').add(BOB.email!, 'U0BOB').add(CAROL.email!, 'U0CAROL');
  const channels = new FakeChannelMembers();
  if (options.chat ?? true) sync.attachChat({ accounts, invites: channels });
  service.observe(sync);
  timers.start(sync.handlers());
  return { store, clock, timers, pager, service, sync, redrawn, accounts, channels };
}
type Setup = ReturnType<typeof setup>;

async function open(s: Setup, input: Partial<NewIncident> = {}) {
  return (await s.service.open({ title: 'checkout errors', severity: 'P1', openedBy: 'U0OPENER', ...input })).incident.id;
}

const drill = (page: boolean): DrillMark => ({ scenario: 'db-failover', runId: 'run-1', speed: 60, page });

/** The timeline lines PagerDuty wrote: what a person reading the incident sees of it. */
async function pagerLines(s: Setup, id: string) {
  return (await s.store.timeline(id)).filter((e) => e.kind === 'pagerduty').map((e) => e.text);
}

/** Moves time on and lets every timer due by then run, as the engine would. */
async function passTime(s: Setup, ms: number) {
  s.clock.advance(ms);
  await s.timers.fireDue();
}
const now = (s: Setup) => passTime(s, 0);

describe('PagerDutySync pages on-call for incidents that need a person now (in-memory ports)', () => {
  it.each([
    ['P0', true],
    ['P1', true],
    ['P2', false],
    ['P3', false],
  ] as const)('opening a %s incident pages on-call: %s', async (severity, paged) => {
    const s = setup();
    const id = await open(s, { severity });
    await now(s);
    expect(s.pager.received).toEqual(paged ? [`trigger ${id}`] : []);
    expect(await pagerLines(s, id)).toEqual(paged ? [`Paged on-call through PagerDuty (${severity})`] : []);
  });

  it('opening never waits for PagerDuty: the page goes out when its timer runs', async () => {
    const s = setup();
    const id = await open(s);
    expect(s.pager.received).toEqual([]);
    expect(await s.timers.kinds(`${id}:pagerduty:`)).toContain(PAGERDUTY_TIMER_KINDS.event);
  });

  it('raising an incident into a paging severity pages on-call, once', async () => {
    const s = setup();
    const id = await open(s, { severity: 'P3' });
    await now(s);
    await s.service.changeSeverity(id, 'P1', 'U0BOB');
    await now(s);
    await s.service.changeSeverity(id, 'P0', 'U0BOB');
    await now(s);
    expect(s.pager.received).toEqual([`trigger ${id}`]);
    expect(await pagerLines(s, id)).toEqual(['Paged on-call through PagerDuty (P1)']);
  });

  it('acknowledging and resolving in Slack acknowledge and resolve the page', async () => {
    const s = setup();
    const id = await open(s);
    await now(s);
    await s.service.acknowledge(id, 'U0BOB');
    await now(s);
    expect(s.pager.pages.get(id)).toBe('acknowledged');
    await s.service.resolve(id, 'U0BOB');
    await now(s);
    expect(s.pager.pages.get(id)).toBe('resolved');
    expect(s.pager.received).toEqual([`trigger ${id}`, `acknowledge ${id}`, `resolve ${id}`]);
  });

  it('an incident that never paged sends no acknowledge or resolve to PagerDuty', async () => {
    const s = setup();
    const id = await open(s, { severity: 'P3' });
    await s.service.acknowledge(id, 'U0BOB');
    await s.service.resolve(id, 'U0BOB');
    await now(s);
    expect(s.pager.received).toEqual([]);
  });

  it('an incident resolved before its page went out wakes nobody', async () => {
    const s = setup();
    const id = await open(s);
    await s.service.resolve(id, 'U0BOB');
    await now(s);
    expect(s.pager.received).toEqual([]);
  });

  it('an acknowledge that came while the page was being retried follows the page once it goes out', async () => {
    const s = setup({ canLookUp: false });
    const id = await open(s);
    s.pager.status = 503;
    await now(s);
    await s.service.acknowledge(id, 'U0BOB');
    await now(s);
    s.pager.status = 202;
    await passTime(s, 1_000);
    expect(s.pager.pages.get(id)).toBe('acknowledged');
    expect(s.pager.received).toEqual([`trigger ${id}`, `acknowledge ${id}`]);
  });

  it('reopening a resolved paging incident pages on-call again', async () => {
    const s = setup();
    const id = await open(s);
    await now(s);
    await s.service.resolve(id, 'U0BOB');
    await now(s);
    await s.service.reopen(id, 'U0BOB');
    await now(s);
    expect(s.pager.pages.get(id)).toBe('triggered');
    expect(s.pager.received).toEqual([`trigger ${id}`, `resolve ${id}`, `trigger ${id}`]);
  });

  it('an incident that came from PagerDuty is never triggered, acknowledged or resolved upstream', async () => {
    const s = setup();
    const id = await open(s, { severity: 'P0', source: 'pagerduty' });
    await s.service.acknowledge(id, 'U0BOB');
    await s.service.resolve(id, 'U0BOB');
    expect(await s.timers.kinds(`${id}:pagerduty:`)).not.toContain(PAGERDUTY_TIMER_KINDS.event);
    await now(s);
    expect(s.pager.received).toEqual([]);
  });

  it.each([
    ['a drill whose scenario does not page', false, []],
    ['a drill whose scenario pages', true, ['trigger']],
  ] as const)('%s: what PagerDuty receives', async (_name, page, actions) => {
    const s = setup();
    const id = await open(s, { severity: 'P0', drill: drill(page) });
    await now(s);
    expect(s.pager.received).toEqual(actions.map((a) => `${a} ${id}`));
  });

  it('without a routing key nothing is paged', async () => {
    const s = setup({ canPage: false });
    await open(s, { severity: 'P0' });
    await now(s);
    expect(s.pager.received).toEqual([]);
  });

  it('a pager that does not answer: one timeline line, and the page is retried until it goes out', async () => {
    const s = setup({ canLookUp: false });
    const id = await open(s);
    s.pager.status = 503;
    await now(s);
    await passTime(s, 1_000);
    await passTime(s, 2_000);
    expect(await pagerLines(s, id)).toEqual(['PagerDuty trigger failed: HTTP 503; retrying in the background']);
    expect(await s.timers.kinds(`${id}:pagerduty:`)).toContain(PAGERDUTY_TIMER_KINDS.event);
    s.pager.status = 202;
    await passTime(s, 4_000);
    expect(s.pager.pages.get(id)).toBe('triggered');
    expect(await pagerLines(s, id)).toEqual([
      'PagerDuty trigger failed: HTTP 503; retrying in the background',
      'Paged on-call through PagerDuty (P1)',
    ]);
  });

  it('the failing timer rethrows, so the engine retries it', async () => {
    const s = setup();
    const id = await open(s);
    s.pager.status = 429;
    const [timer] = await s.timers.list(`${id}:pagerduty:trigger:`);
    await expect(s.timers.fire(timer!.key)).rejects.toThrow('PagerDuty trigger failed: HTTP 429');
  });

  it('a pager that refuses for good: said once on the timeline, not retried', async () => {
    const s = setup({ canLookUp: false });
    const id = await open(s);
    s.pager.status = 400;
    await now(s);
    expect(await pagerLines(s, id)).toEqual(['PagerDuty trigger failed: HTTP 400']);
    expect(await s.timers.kinds(`${id}:pagerduty:`)).not.toContain(PAGERDUTY_TIMER_KINDS.event);
  });

  it.each([
    ['an incident from PagerDuty', { source: 'pagerduty' }, {}, 'the incident came from PagerDuty, which pages its own on-call', false],
    ['a drill that pages nobody', { drill: drill(false) }, {}, 'a drill pages nobody (its scenario has `page: false`)', false],
    [
      'a bot without a routing key',
      {},
      { canPage: false },
      'paging is not configured (set PAGERDUTY_ROUTING_KEY; `pagerduty.enabled` must not be false)',
      false,
    ],
    ['a P3 whose first response was missed', {}, {}, 'paging on-call through PagerDuty', true],
  ] as const)('escalating %s: the escalation line says what happened', async (_name, input, options, line, paged) => {
    const s = setup(options);
    const id = await open(s, { severity: 'P3', ...input });
    const incident = (await s.store.get(id))!;
    expect(await s.sync.escalate(incident)).toBe(line);
    await now(s);
    expect(s.pager.pages.has(id)).toBe(paged);
  });
});

describe('PagerDutySync shows who is on call and keeps it current (in-memory ports)', () => {
  it('the on-call is stored on the incident and the announcement redrawn', async () => {
    const s = setup({ chat: false });
    const id = await open(s);
    await now(s);
    expect((await s.store.get(id))?.oncall).toEqual({
      people: [
        { name: 'Alice', level: 1 },
        { name: 'Bob', level: 2 },
      ],
      escalationPolicy: 'PDEFAULT1',
      at: s.clock(),
    });
    expect(s.redrawn).toEqual([id]);
  });

  it("a service's own escalation policy is the one looked up", async () => {
    const s = setup({ chat: false });
    s.pager.onCallBy.set('PPAYMENTS1', [{ name: 'Dana', email: null, level: 1 }]);
    const id = await open(s, { service: 'payments' });
    await now(s);
    expect((await s.store.get(id))?.oncall).toMatchObject({ people: [{ name: 'Dana', level: 1 }], escalationPolicy: 'PPAYMENTS1' });
  });

  it('a refresh redraws only the incidents whose on-call changed', async () => {
    const s = setup({ chat: false });
    const checkout = await open(s);
    const payments = await open(s, { service: 'payments' });
    await now(s);
    expect(new Set(s.redrawn)).toEqual(new Set([checkout, payments]));

    s.redrawn.length = 0;
    await passTime(s, REFRESH);
    expect(s.redrawn).toEqual([]);

    s.redrawn.length = 0;
    s.pager.onCallBy.set('PPAYMENTS1', [CAROL]);
    await passTime(s, REFRESH);
    expect(s.redrawn).toEqual([payments]);
    expect((await s.store.get(payments))?.oncall?.people).toEqual([{ name: 'Carol', level: 1 }]);
  });

  it.each([
    ['on time', 0, REFRESH],
    ['late by a minute', MINUTE, REFRESH],
    ['late by exactly one period', REFRESH, 2 * REFRESH],
    ['after the bots were down for 95 minutes', 95 * MINUTE, 4 * REFRESH],
  ])('a lookup that ran %s comes back on the next slot of its grid', async (_name, lateBy, next) => {
    const s = setup({ chat: false });
    const id = await open(s);
    const start = s.clock();
    const [lookup] = await s.timers.list(`${id}:pagerduty:oncall:`);
    s.clock.advance(lateBy);
    await s.timers.fire(lookup!.key);
    const lookups = (await s.timers.list(`${id}:pagerduty:oncall:`)).map((t) => t.dueAt - start);
    expect(lookups).toEqual([next]);
  });

  it('lookups stop once the incident is resolved', async () => {
    const s = setup({ chat: false });
    const id = await open(s);
    await now(s);
    await s.service.resolve(id, 'U0BOB');
    s.pager.oncalls = [CAROL];
    await passTime(s, REFRESH);
    expect(await s.timers.list(`${id}:pagerduty:oncall:`)).toEqual([]);
    expect((await s.store.get(id))?.oncall?.people.map((p) => p.name)).toEqual(['Alice', 'Bob']);
  });

  it('a failing lookup is said once on the timeline and tried again at the next refresh', async () => {
    const s = setup({ chat: false });
    const id = await open(s, { severity: 'P3' });
    s.pager.status = 500;
    await now(s);
    await passTime(s, REFRESH);
    expect(await pagerLines(s, id)).toEqual(['On-call lookup failed: HTTP 500']);
    s.pager.status = 200;
    await passTime(s, REFRESH);
    expect((await s.store.get(id))?.oncall?.people.map((p) => p.name)).toEqual(['Alice', 'Bob']);
  });

  it.each([
    ['without a PagerDuty token', { canLookUp: false }],
    ['with no escalation policy anywhere', { settings: settings({ escalationPolicy: null }) }],
  ])('nobody is looked up %s', async (_name, options) => {
    const s = setup({ chat: false, ...options });
    const id = await open(s);
    await now(s);
    expect(await s.timers.list(`${id}:pagerduty:oncall:`)).toEqual([]);
    expect((await s.store.get(id))?.oncall ?? null).toBeNull();
  });
});

describe('PagerDutySync invites the level-1 on-call into the incident channel (in-memory ports)', () => {
  async function openWithChannel(s: Setup, input: Partial<NewIncident> = {}) {
    const id = await open(s, input);
    await s.service.attachChannel(id, CHANNEL, 'Channel created');
    return id;
  }

  it('the level-1 on-call is found by email, stored with their account, and invited', async () => {
    const s = setup();
    const id = await openWithChannel(s);
    await now(s);
    expect((await s.store.get(id))?.oncall?.people).toEqual([
      { name: 'Alice', level: 1, user: 'U0ALICE' },
      { name: 'Bob', level: 2 },
    ]);
    expect(s.channels.in(CHANNEL.id)).toEqual(['U0ALICE']);
  });

  it.each<[string, { options?: Parameters<typeof setup>[0]; input?: Partial<NewIncident>; channel?: boolean; oncalls?: OnCallPerson[] }]>([
    ['the incident has no channel', { channel: false }],
    ['the incident is a drill', { input: { drill: drill(true) } }],
    ['invite_oncall is off', { options: { settings: settings({ inviteOnCall: false }) } }],
    ['the email has no chat account', { oncalls: [{ name: 'Erin', email: 'erin@example.com', level: 1 }] }],
    ['PagerDuty gives no email', { oncalls: [{ name: 'Frank', email: null, level: 1 }] }],
    ['the chat app is not attached', { options: { chat: false } }],
  ])('nobody is invited when %s', async (_name, { options, input, channel = true, oncalls }) => {
    const s = setup(options);
    if (oncalls) s.pager.oncalls = oncalls;
    const id = channel ? await openWithChannel(s, input) : await open(s, input);
    await now(s);
    expect((await s.store.get(id))?.oncall?.people.length).toBeGreaterThan(0);
    expect(s.channels.invitations).toEqual([]);
  });

  it('with invite_oncall off, no chat account is stored either', async () => {
    const s = setup({ settings: settings({ inviteOnCall: false }) });
    const id = await openWithChannel(s);
    await now(s);
    expect((await s.store.get(id))?.oncall?.people).toEqual([
      { name: 'Alice', level: 1 },
      { name: 'Bob', level: 2 },
    ]);
  });

  it('someone still on call is not invited again: who left the channel stays out', async () => {
    const s = setup();
    await openWithChannel(s);
    await now(s);
    s.channels.leave(CHANNEL.id, 'U0ALICE');
    await passTime(s, REFRESH);
    expect(s.channels.in(CHANNEL.id)).toEqual([]);
    expect(s.channels.invitations).toEqual([{ channel: CHANNEL.id, users: ['U0ALICE'] }]);
  });

  it('a shift change invites the new level-1 person only', async () => {
    const s = setup();
    await openWithChannel(s);
    await now(s);
    s.pager.oncalls = [ALICE, CAROL, BOB];
    await passTime(s, REFRESH);
    expect(s.channels.in(CHANNEL.id)).toEqual(['U0ALICE', 'U0CAROL']);
    expect(s.channels.invitations).toEqual([
      { channel: CHANNEL.id, users: ['U0ALICE'] },
      { channel: CHANNEL.id, users: ['U0CAROL'] },
    ]);
  });
});
