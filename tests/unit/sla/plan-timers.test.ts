import { describe, expect, it } from 'vitest';
import { createIncident, type Incident } from '../../../src/domain/incident';
import { diffTimers } from '../../../src/domain/sla/diff-timers';
import { evaluateTimerOnFire } from '../../../src/domain/sla/evaluate-timer-on-fire';
import { planTimers } from '../../../src/domain/sla/plan-timers';
import type { SlaTimer } from '../../../src/domain/sla/sla-timer';
import { DEFAULT_SLA_POLICY } from '../../../src/domain/sla-policy';
import { NO_GATE_FACTS } from '../../../src/domain/incident';
import { slaInputsChanged } from '../../../src/domain/sla/sla-inputs-changed';

const T0 = Date.UTC(2026, 0, 1, 3, 0, 0);
const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;

function incident(overrides: Partial<Incident> = {}): Incident {
  const { incident } = createIncident('INC-20260101-001', { title: 'API down', severity: 'P0', openedBy: 'U1' }, T0);
  return { ...incident, ...overrides };
}

/** kind[@level] → minutes after T0, the compact form the tables below use. */
function summary(timers: SlaTimer[]): string[] {
  return timers.map((t) => `${t.kind}${t.payload.level ? `@L${t.payload.level}` : ''} +${(t.dueAt - T0) / MIN}m`);
}

describe('planTimers', () => {
  const cases: { name: string; incident: Incident; now: number; expected: string[] }[] = [
    {
      name: 'P0 just opened: every clock from the DESIGN table',
      incident: incident(),
      now: T0,
      expected: [
        'escalation@L1 +5m',
        'first_response_breach +5m',
        'escalation@L2 +15m',
        'update_reminder +15m',
        'escalation@L3 +30m',
        'resolution_warning +50m',
        'resolution_breach +60m',
      ],
    },
    {
      name: 'P0 acknowledged: no first-response breach, no L1 page; L2/L3 stay while unresolved',
      incident: incident({ acknowledgedAt: T0 + 2 * MIN, acknowledgedBy: 'U2' }),
      now: T0 + 2 * MIN,
      expected: ['escalation@L2 +15m', 'update_reminder +15m', 'escalation@L3 +30m', 'resolution_warning +50m', 'resolution_breach +60m'],
    },
    {
      name: 'P0 update at +10m restarts the update clock (+25m)',
      incident: incident({ acknowledgedAt: T0 + 2 * MIN, lastUpdateAt: T0 + 10 * MIN }),
      now: T0 + 10 * MIN,
      expected: ['escalation@L2 +15m', 'update_reminder +25m', 'escalation@L3 +30m', 'resolution_warning +50m', 'resolution_breach +60m'],
    },
    {
      name: 'P0 no update for 40m: the overdue reminder (+30m) and the next one (+45m)',
      incident: incident({ acknowledgedAt: T0 + 2 * MIN }),
      now: T0 + 40 * MIN,
      expected: [
        'escalation@L2 +15m',
        'escalation@L3 +30m',
        'update_reminder +30m',
        'update_reminder +45m',
        'resolution_warning +50m',
        'resolution_breach +60m',
      ],
    },
    {
      name: 'P1: warning 24m before the 4h target (10% beats 10 min); L2 1h, L3 2h',
      incident: incident({ severity: 'P1' }),
      now: T0,
      expected: [
        'escalation@L1 +15m',
        'first_response_breach +15m',
        'update_reminder +30m',
        'escalation@L2 +60m',
        'escalation@L3 +120m',
        'resolution_warning +216m',
        'resolution_breach +240m',
      ],
    },
    {
      name: 'P3: no escalations beyond on-call, weekly update',
      incident: incident({ severity: 'P3' }),
      now: T0,
      expected: [
        'escalation@L1 +240m',
        'first_response_breach +240m',
        `resolution_warning +${(7 * D * 0.9) / MIN}m`,
        `resolution_breach +${(7 * D) / MIN}m`,
        `update_reminder +${(7 * D) / MIN}m`,
      ],
    },
    {
      name: 'P0 resolved at +40m: only monitoring end (24h) and report missing (2 days)',
      incident: incident({ status: 'resolved', acknowledgedAt: T0 + MIN, resolvedAt: T0 + 40 * MIN }),
      now: T0 + 40 * MIN,
      expected: [`monitoring_end +${40 + 24 * 60}m`, `report_missing +${40 + 2 * 24 * 60}m`],
    },
    {
      name: 'closed: nothing',
      incident: incident({ status: 'closed', acknowledgedAt: T0 + MIN, resolvedAt: T0 + 40 * MIN, closedAt: T0 + 50 * MIN }),
      now: T0 + 50 * MIN,
      expected: [],
    },
  ];

  it.each(cases)('$name', ({ incident, now, expected }) => {
    expect(summary(planTimers(incident, DEFAULT_SLA_POLICY, now))).toEqual(expected);
  });

  it('keys start with the incident id and say what and when', () => {
    const keys = planTimers(incident(), DEFAULT_SLA_POLICY, T0).map((t) => t.key);
    expect(keys.every((k) => k.startsWith('INC-20260101-001:'))).toBe(true);
    expect(keys).toContain(`INC-20260101-001:update_reminder:u${T0}:P0:${T0 + 15 * MIN}`);
    expect(keys).toContain(`INC-20260101-001:escalation:L2:P0:${T0 + 15 * MIN}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('honours a configured resolution warning lead', () => {
    const timers = planTimers(incident(), DEFAULT_SLA_POLICY, T0, {
      resolutionWarningBeforeMs: 5 * MIN,
      resolutionWarningFraction: 0,
      reportMissingAfterMs: D,
    });
    expect(timers.find((t) => t.kind === 'resolution_warning')!.dueAt).toBe(T0 + 55 * MIN);
  });
});

describe('diffTimers', () => {
  const plan = (i: Incident, now: number) => planTimers(i, DEFAULT_SLA_POLICY, now);

  const cases: { name: string; before: Incident; after: Incident; now: number; schedule: string[]; cancel: string[] }[] = [
    {
      name: 'a status update replaces the update reminder and nothing else',
      before: incident({ acknowledgedAt: T0 + MIN }),
      after: incident({ acknowledgedAt: T0 + MIN, lastUpdateAt: T0 + 10 * MIN }),
      now: T0 + 10 * MIN,
      schedule: ['update_reminder +25m'],
      cancel: ['update_reminder +15m'],
    },
    {
      name: 'acknowledging cancels the first-response breach and the L1 page',
      before: incident(),
      after: incident({ acknowledgedAt: T0 + 3 * MIN }),
      now: T0 + 3 * MIN,
      schedule: [],
      cancel: ['escalation@L1 +5m', 'first_response_breach +5m'],
    },
    {
      name: 'P1 → P0 re-plans every clock',
      before: incident({ severity: 'P1' }),
      after: incident({ severity: 'P0' }),
      now: T0 + MIN,
      schedule: [
        'escalation@L1 +5m',
        'first_response_breach +5m',
        'escalation@L2 +15m',
        'update_reminder +15m',
        'escalation@L3 +30m',
        'resolution_warning +50m',
        'resolution_breach +60m',
      ],
      cancel: [
        'escalation@L1 +15m',
        'first_response_breach +15m',
        'update_reminder +30m',
        'escalation@L2 +60m',
        'escalation@L3 +120m',
        'resolution_warning +216m',
        'resolution_breach +240m',
      ],
    },
    {
      name: 'resolve cancels the running clocks and starts monitoring and the report reminder',
      before: incident({ acknowledgedAt: T0 + MIN }),
      after: incident({ acknowledgedAt: T0 + MIN, status: 'resolved', resolvedAt: T0 + 20 * MIN }),
      now: T0 + 20 * MIN,
      schedule: [`monitoring_end +${20 + 24 * 60}m`, `report_missing +${20 + 48 * 60}m`],
      cancel: [
        'update_reminder +15m',
        'update_reminder +30m',
        'escalation@L2 +15m',
        'escalation@L3 +30m',
        'resolution_warning +50m',
        'resolution_breach +60m',
      ],
    },
    {
      name: 'close cancels what is left',
      before: incident({ acknowledgedAt: T0 + MIN, status: 'resolved', resolvedAt: T0 + 20 * MIN }),
      after: incident({ acknowledgedAt: T0 + MIN, status: 'closed', resolvedAt: T0 + 20 * MIN, closedAt: T0 + 30 * MIN }),
      now: T0 + 30 * MIN,
      schedule: [],
      cancel: [`monitoring_end +${20 + 24 * 60}m`, `report_missing +${20 + 48 * 60}m`],
    },
  ];

  it.each(cases)('$name', ({ before, after, now, schedule, cancel }) => {
    const existing = plan(before, now);
    const { toSchedule, toCancel } = diffTimers(existing, plan(after, now));
    const byKey = new Map(existing.map((t) => [t.key, t]));
    expect(summary(toSchedule)).toEqual(schedule);
    expect(toCancel.map((k) => summary([byKey.get(k)!])[0]).sort()).toEqual([...cancel].sort());
  });

  it('no change, no work', () => {
    const timers = plan(incident(), T0);
    expect(diffTimers(timers, plan(incident(), T0 + MIN))).toEqual({ toSchedule: [], toCancel: [] });
  });
});

describe('evaluateTimerOnFire', () => {
  const base = incident();
  const timers = planTimers(base, DEFAULT_SLA_POLICY, T0);
  const find = (kind: string, level?: number) => timers.find((t) => t.kind === kind && (level === undefined || t.payload.level === level))!;
  const resolved = incident({ status: 'resolved', acknowledgedAt: T0 + MIN, resolvedAt: T0 + 40 * MIN });
  const afterResolve = planTimers(resolved, DEFAULT_SLA_POLICY, T0 + 40 * MIN);

  const cases: { name: string; incident: Incident | null; timer: SlaTimer; apply: boolean; reason?: string }[] = [
    { name: 'first-response breach while unacknowledged', incident: base, timer: find('first_response_breach'), apply: true },
    {
      name: 'first-response breach after acknowledge',
      incident: incident({ acknowledgedAt: T0 + MIN }),
      timer: find('first_response_breach'),
      apply: false,
      reason: 'already acknowledged',
    },
    {
      name: 'L1 page after acknowledge',
      incident: incident({ acknowledgedAt: T0 + MIN }),
      timer: find('escalation', 1),
      apply: false,
      reason: 'already acknowledged',
    },
    {
      name: 'L2 escalation while acknowledged but unresolved',
      incident: incident({ acknowledgedAt: T0 + MIN }),
      timer: find('escalation', 2),
      apply: true,
    },
    { name: 'L2 escalation after resolve', incident: resolved, timer: find('escalation', 2), apply: false, reason: 'incident is resolved' },
    { name: 'update reminder with no update since', incident: base, timer: find('update_reminder'), apply: true },
    {
      name: 'update reminder after an update',
      incident: incident({ lastUpdateAt: T0 + 5 * MIN }),
      timer: find('update_reminder'),
      apply: false,
      reason: 'a status update was posted since',
    },
    {
      name: 'resolution breach after a severity change',
      incident: incident({ severity: 'P1' }),
      timer: find('resolution_breach'),
      apply: false,
      reason: 'severity changed to P1',
    },
    {
      name: 'monitoring end while resolved',
      incident: resolved,
      timer: afterResolve.find((t) => t.kind === 'monitoring_end')!,
      apply: true,
    },
    {
      name: 'report missing after reopen',
      incident: incident({ acknowledgedAt: T0 + MIN, status: 'investigating' }),
      timer: afterResolve.find((t) => t.kind === 'report_missing')!,
      apply: false,
      reason: 'incident is investigating',
    },
    { name: 'incident gone', incident: null, timer: find('resolution_breach'), apply: false, reason: 'incident not found' },
    {
      name: 'report missing once the report is written',
      incident: { ...resolved, gates: { ...NO_GATE_FACTS, reportWrittenAt: T0 + 50 * MIN } },
      timer: afterResolve.find((t) => t.kind === 'report_missing')!,
      apply: false,
      reason: 'the report was written',
    },
  ];

  it('no report-missing reminder is planned when the report already exists', () => {
    const withReport = { ...resolved, gates: { ...NO_GATE_FACTS, reportWrittenAt: T0 + 39 * MIN } };
    expect(planTimers(withReport, DEFAULT_SLA_POLICY, T0 + 40 * MIN).map((t) => t.kind)).toEqual(['monitoring_end']);
  });

  it('an update reminder superseded by a later one already due is skipped (missed reminders collapse into one)', () => {
    const timer = find('update_reminder');
    const every = DEFAULT_SLA_POLICY.P0.updateEveryMs;
    expect(evaluateTimerOnFire(base, timer, timer.dueAt + every - 1, DEFAULT_SLA_POLICY.P0)).toEqual({ apply: true, overdueMs: every - 1 });
    expect(evaluateTimerOnFire(base, timer, timer.dueAt + every, DEFAULT_SLA_POLICY.P0)).toEqual({
      apply: false,
      reason: 'a later reminder is already due',
    });
  });

  it.each(cases)('$name → apply=$apply', ({ incident, timer, apply, reason }) => {
    const verdict = evaluateTimerOnFire(incident, timer, timer.dueAt + 1_000);
    expect(verdict.apply).toBe(apply);
    if (!verdict.apply) expect(verdict.reason).toBe(reason);
    else expect(verdict.overdueMs).toBe(1_000);
  });
});

describe('slaInputsChanged', () => {
  const base = incident();
  it.each([
    [
      'alert counts only',
      { alerts: { groupKey: 'g', firing: 3, resolved: 0, total: 3, seq: 2, allResolvedAt: null, truncated: 0 } as never },
      false,
    ],
    ['a note (no field change)', {}, false],
    ['severity', { severity: 'P2' as const }, true],
    ['status', { status: 'identified' as const }, true],
    ['acknowledged', { acknowledgedAt: T0 + MIN }, true],
    ['status update', { lastUpdateAt: T0 + MIN }, true],
    ['resolved', { resolvedAt: T0 + MIN }, true],
    ['report written', { gates: { ...NO_GATE_FACTS, reportWrittenAt: T0 + MIN } }, true],
  ])('%s → %s', (_name, change, expected) => {
    expect(slaInputsChanged(base, { ...base, ...change })).toBe(expected);
  });
});
