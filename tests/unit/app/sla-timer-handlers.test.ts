import { describe, expect, it } from 'vitest';
import { IncidentService } from '../../../src/app/incident-service';
import type { SlaNotice } from '../../../src/app/ports/sla-notifier';
import { PagerDutySync } from '../../../src/app/sla/pagerduty-sync';
import { SlaPlanner } from '../../../src/app/sla/sla-planner';
import { slaTimerHandlers } from '../../../src/app/sla/sla-timer-handlers';
import type { SlaConfig } from '../../../src/config/sla-schema';
import type { NewIncident } from '../../../src/domain/incident';
import { recordReport } from '../../../src/domain/paper-trail/record-report';
import { phrase } from '../../../src/domain/phrase';
import type { SlaTimerKind } from '../../../src/domain/sla/sla-timer';
import { DEFAULT_SLA_POLICY } from '../../../src/domain/sla-policy';
import { createMetrics, manualClock, silentLogger } from '../../fakes/clock';
import { FakeIncidentStore } from '../../fakes/incident-store';
import { FakePager } from '../../fakes/pager';
import { fakeRunOnce, FakeIdempotencyMarks } from '../../fakes/run-once';
import { FakeSlaNotifier } from '../../fakes/sla-notifier';
import { FakeTimerEngine } from '../../fakes/timer-engine';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const CHANNEL = { id: 'C0INC1', name: 'inc-checkout-errors' };

function settings(escalation: SlaConfig['escalation'] = { level2: ['U0LEAD'], level3: ['S0SRE', 'U0VP'] }): SlaConfig {
  return {
    planOptions: {},
    escalation,
    pagerDuty: { enabled: true, escalationPolicy: null, pageSeverities: ['P0', 'P1'], onCallRefreshMs: 30 * MINUTE, inviteOnCall: false },
    services: { payments: { escalation: { level2: ['U0PAYLEAD'] } } },
  };
}

function setup(config: SlaConfig = settings()) {
  const store = new FakeIncidentStore();
  const clock = manualClock();
  const timers = new FakeTimerEngine(clock);
  const pager = new FakePager();
  const metrics = createMetrics();
  const log = silentLogger();
  const once = fakeRunOnce();
  const service = new IncidentService({ store, clock, log, metrics, slaPolicy: DEFAULT_SLA_POLICY });
  const planner = new SlaPlanner({ store, timers, policy: DEFAULT_SLA_POLICY, options: config.planOptions, clock, log });
  const notifier = new FakeSlaNotifier(clock);
  const pagerDuty = new PagerDutySync({
    pager,
    canPage: true,
    canLookUp: false,
    settings: config,
    store,
    timers,
    marks: new FakeIdempotencyMarks(),
    once,
    clock,
    metrics,
    log,
    refresh: (id) => notifier.refresh(id),
  });
  service.observe(planner);
  service.observe(pagerDuty);
  const handlers = slaTimerHandlers({
    store,
    clock,
    policy: DEFAULT_SLA_POLICY,
    settings: config,
    planner,
    notifier,
    pagerDuty,
    once,
    metrics,
    log,
  });
  timers.start({ ...handlers, ...pagerDuty.handlers() });
  return { store, clock, timers, pager, service, notifier, handlers, start: clock() };
}
type Setup = ReturnType<typeof setup>;

async function open(s: Setup, input: Partial<NewIncident> = {}) {
  return (await s.service.open({ title: 'checkout errors', severity: 'P1', openedBy: 'U0OPENER', ...input })).incident.id;
}

/** Moves time on and lets every timer due by then run, as the engine would. */
async function passTime(s: Setup, ms: number) {
  s.clock.advance(ms);
  await s.timers.fireDue();
}

/** The timeline lines of one kind: what a reader of the incident sees the clocks say. */
async function lines(s: Setup, id: string, kind: 'sla_breach' | 'escalation') {
  return (await s.store.timeline(id)).filter((e) => e.kind === kind).map((e) => e.text);
}

/** Notices of one kind: where each went, and how long after opening. */
function notices<K extends SlaNotice['kind']>(s: Setup, kind: K) {
  return s.notifier.posted
    .filter((p) => p.notice.kind === kind)
    .map((p) => ({
      where: p.threadTs ? `${p.channel} thread ${p.threadTs}` : p.channel,
      after: p.at - s.start,
      notice: p.notice as Extract<SlaNotice, { kind: K }>,
    }));
}

describe('SLA timers tell people when a clock runs out (in-memory ports)', () => {
  it('a missed first response: breach on the timeline and in the incident’s place, announcement redrawn, on-call paged', async () => {
    const s = setup();
    const id = await open(s, { severity: 'P2' });
    await passTime(s, HOUR - 1);
    expect(s.notifier.posted).toEqual([]);
    await passTime(s, 1);
    expect(await lines(s, id, 'sla_breach')).toEqual(['SLA breached: first response (P2)']);
    expect(await lines(s, id, 'escalation')).toEqual(['Escalation level 1: paging on-call through PagerDuty']);
    expect(notices(s, 'first_response_breach').map((n) => [n.where, n.after, n.notice.targetMs])).toEqual([['C0RESPONSE', HOUR, HOUR]]);
    expect(s.notifier.redrawn).toContain(id);
    expect(s.pager.received).toEqual([`trigger ${id}`]);
  });

  it.each([
    ['no channel and no announcement: the response channel', {}, 'C0RESPONSE'],
    ['an announcement: its thread', { announcement: true }, 'C0ANNOUNCE thread 1764579600.000100'],
    ['its own channel: that channel', { channel: true }, 'C0INC1'],
  ])('an incident with %s', async (_name, where: { announcement?: boolean; channel?: boolean }, expected) => {
    const s = setup();
    const id = await open(s, { severity: 'P2' });
    if (where.announcement) await s.service.recordAnnouncement(id, { channel: 'C0ANNOUNCE', ts: '1764579600.000100' });
    if (where.channel) await s.service.attachChannel(id, CHANNEL, 'Channel created');
    await passTime(s, HOUR);
    expect(notices(s, 'first_response_breach').map((n) => n.where)).toEqual([expected]);
  });

  it('a status update is due every cadence since the last one, saying who posted it', async () => {
    const s = setup();
    const id = await open(s);
    await s.service.acknowledge(id, 'U0BOB');
    await passTime(s, 30 * MINUTE);
    await passTime(s, 10 * MINUTE);
    await s.service.postUpdate(id, { status: null, text: phrase`rolling back`, by: 'U0BOB' });
    await passTime(s, 30 * MINUTE);
    expect(
      notices(s, 'update_due').map((n) => ({
        after: n.after,
        since: n.notice.since - s.start,
        by: n.notice.lastUpdateBy,
        every: n.notice.everyMs,
      })),
    ).toEqual([
      { after: 30 * MINUTE, since: 0, by: null, every: 30 * MINUTE },
      { after: 70 * MINUTE, since: 40 * MINUTE, by: 'U0BOB', every: 30 * MINUTE },
    ]);
  });

  it('after the bots were down, the missed status reminders come as one', async () => {
    const s = setup();
    const id = await open(s);
    await s.service.acknowledge(id, 'U0BOB');
    await passTime(s, 95 * MINUTE);
    expect(notices(s, 'update_due').map((n) => n.after)).toEqual([95 * MINUTE]);
  });

  it('the resolution clock warns before its target and breaches at it', async () => {
    const s = setup();
    const id = await open(s, { severity: 'P0' });
    await s.service.acknowledge(id, 'U0BOB');
    await passTime(s, 50 * MINUTE);
    expect(notices(s, 'resolution_warning').map((n) => [n.after, n.notice.dueAt - s.start])).toEqual([[50 * MINUTE, HOUR]]);
    expect(await lines(s, id, 'sla_breach')).toEqual([]);
    await passTime(s, 10 * MINUTE);
    expect(await lines(s, id, 'sla_breach')).toEqual(['SLA breached: resolution (P0)']);
    expect(notices(s, 'resolution_breach').map((n) => [n.after, n.notice.targetMs, n.notice.overdueMs])).toEqual([[HOUR, HOUR, 0]]);
  });

  it.each<[string, Partial<NewIncident>, SlaConfig, string[], string[]]>([
    ['the global contacts', {}, settings(), ['U0LEAD'], ['S0SRE', 'U0VP']],
    ["the service's own level-2 contacts, the global level 3", { service: 'payments' }, settings(), ['U0PAYLEAD'], ['S0SRE', 'U0VP']],
    ['nobody when none are configured', {}, settings({ level2: [], level3: [] }), [], []],
  ])('escalations at levels 2 and 3 mention %s, in the channel and the response channel', async (_name, input, config, level2, level3) => {
    const s = setup(config);
    const id = await open(s, input);
    await s.service.attachChannel(id, CHANNEL, 'Channel created');
    await s.service.acknowledge(id, 'U0BOB');
    await passTime(s, 2 * HOUR);
    expect(notices(s, 'escalation').map((n) => [n.where, n.notice.level, n.notice.mentions, n.notice.afterMs])).toEqual([
      ['C0INC1', 2, level2, HOUR],
      ['C0RESPONSE', 2, level2, HOUR],
      ['C0INC1', 3, level3, 2 * HOUR],
      ['C0RESPONSE', 3, level3, 2 * HOUR],
    ]);
    const said = (list: string[]) => (list.length ? `mentioned ${list.length} contact(s)` : 'no contacts configured');
    expect(await lines(s, id, 'escalation')).toEqual([`Escalation level 2: ${said(level2)}`, `Escalation level 3: ${said(level3)}`]);
  });

  it('after resolve: monitoring ends, and the missing report is asked for', async () => {
    const s = setup();
    const id = await open(s, { severity: 'P3' });
    await passTime(s, 10 * MINUTE);
    await s.service.resolve(id, 'U0BOB');
    await passTime(s, HOUR);
    await passTime(s, 2 * DAY - HOUR);
    expect(notices(s, 'monitoring_end').map((n) => [n.after, n.notice.resolvedAt - s.start])).toEqual([[70 * MINUTE, 10 * MINUTE]]);
    expect(notices(s, 'report_missing').map((n) => [n.after, n.notice.resolvedAt - s.start])).toEqual([
      [2 * DAY + 10 * MINUTE, 10 * MINUTE],
    ]);
  });

  it('a written report is not asked for', async () => {
    const s = setup();
    const id = await open(s, { severity: 'P3' });
    await s.service.resolve(id, 'U0BOB');
    await s.service.apply(id, (i, now) => recordReport(i, 'U0BOB', now, { path: `docs/incidents/${id}.md`, revision: 1 }));
    await passTime(s, 3 * DAY);
    expect(notices(s, 'report_missing')).toEqual([]);
    expect(notices(s, 'monitoring_end')).toHaveLength(1);
  });

  it('a drill played 60 times faster misses its first response after 15 seconds, and pages nobody', async () => {
    const s = setup();
    const id = await open(s, { drill: { scenario: 'db-failover', runId: 'run-1', speed: 60, page: false } });
    await passTime(s, 15_000);
    expect(notices(s, 'first_response_breach').map((n) => n.after)).toEqual([15_000]);
    expect(await lines(s, id, 'escalation')).toEqual(['Escalation level 1: a drill pages nobody (its scenario has `page: false`)']);
    expect(s.pager.received).toEqual([]);
  });
});

describe('SLA timers fire once, even when delivered again (in-memory ports)', () => {
  it('Slack refusing one channel: the retry posts only there, the timeline line is written once', async () => {
    const s = setup();
    const id = await open(s);
    await s.service.attachChannel(id, CHANNEL, 'Channel created');
    await s.service.acknowledge(id, 'U0BOB');
    s.notifier.refusing.add('C0RESPONSE');
    await passTime(s, HOUR);
    expect(notices(s, 'escalation').map((n) => n.where)).toEqual(['C0INC1']);
    s.notifier.refusing.clear();
    await passTime(s, 1_000);
    expect(notices(s, 'escalation').map((n) => [n.where, n.notice.level])).toEqual([
      ['C0INC1', 2],
      ['C0RESPONSE', 2],
    ]);
    expect(await lines(s, id, 'escalation')).toEqual(['Escalation level 2: mentioned 1 contact(s)']);
  });

  it('a breach delivered a second time (its owner crashed before the ack) repeats nothing', async () => {
    const s = setup();
    const id = await open(s, { severity: 'P2' });
    const [timer] = (await s.timers.list(`${id}:`)).filter((t) => t.kind === 'first_response_breach');
    await passTime(s, HOUR);
    await s.handlers.first_response_breach(timer!, { late: false, lateByMs: 0, attempt: 2, fencingToken: 2 });
    expect(await lines(s, id, 'sla_breach')).toHaveLength(1);
    expect(notices(s, 'first_response_breach')).toHaveLength(1);
  });
});

describe('An SLA timer the incident moved past says nothing (a cancel lost in a crash)', () => {
  type Case = {
    severity?: NewIncident['severity'];
    kind: SlaTimerKind;
    level?: number;
    before?: (s: Setup, id: string) => Promise<unknown>;
    change: (s: Setup, id: string) => Promise<unknown>;
  };
  const resolve = (s: Setup, id: string) => s.service.resolve(id, 'U0BOB');
  const acknowledge = (s: Setup, id: string) => s.service.acknowledge(id, 'U0BOB');

  it.each<[string, Case]>([
    ['a first-response breach, acknowledged since', { kind: 'first_response_breach', change: acknowledge }],
    ['the on-call page, acknowledged since', { severity: 'P2', kind: 'escalation', level: 1, change: acknowledge }],
    [
      'a first-response breach, severity changed since',
      { kind: 'first_response_breach', change: (s, id) => s.service.changeSeverity(id, 'P0', 'U0BOB') },
    ],
    [
      'a status reminder, an update posted since',
      { kind: 'update_reminder', change: (s, id) => s.service.postUpdate(id, { status: null, text: phrase`on it`, by: 'U0BOB' }) },
    ],
    ['a resolution warning, resolved since', { kind: 'resolution_warning', change: resolve }],
    ['a resolution breach, resolved since', { kind: 'resolution_breach', change: resolve }],
    ['a level-2 escalation, resolved since', { kind: 'escalation', level: 2, change: resolve }],
    [
      'the end of monitoring, reopened since',
      { kind: 'monitoring_end', before: resolve, change: (s, id) => s.service.reopen(id, 'U0BOB') },
    ],
    [
      'the report reminder, report written since',
      {
        kind: 'report_missing',
        before: resolve,
        change: (s, id) => s.service.apply(id, (i, now) => recordReport(i, 'U0BOB', now, { path: 'docs/incidents/r.md', revision: 1 })),
      },
    ],
  ])('%s', async (_name, { severity = 'P1', kind, level, before, change }) => {
    const s = setup();
    const id = await open(s, { severity });
    await before?.(s, id);
    const [stale] = (await s.timers.list(`${id}:`)).filter(
      (t) => t.kind === kind && (level === undefined || (t.payload as { level?: number }).level === level),
    );
    s.clock.advance(MINUTE);
    await change(s, id);
    const timelineBefore = await s.store.timeline(id);
    const pagesBefore = await s.timers.list(`${id}:pagerduty:`);
    await s.timers.cancel(stale!.key);
    await s.timers.schedule(stale!);
    s.clock.set(stale!.dueAt);
    await s.timers.fire(stale!.key);
    expect(s.notifier.posted).toEqual([]);
    expect(await s.store.timeline(id)).toEqual(timelineBefore);
    expect(await s.timers.list(`${id}:pagerduty:`)).toEqual(pagesBefore);
  });
});
