import { describe, expect, it } from 'vitest';
import { createIncident, type Incident } from '../../../src/domain/incident';
import { DEFAULT_SLA_POLICY, nextDeadline, slaState } from '../../../src/domain/sla-policy';
import type { Severity } from '../../../src/domain/severity';

const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
const MIN = 60_000;
const H = 60 * MIN;
const open = (severity: Severity): Incident => createIncident('INC-20261121-001', { title: 't', severity, openedBy: 'U1' }, T0).incident;
const due = (incident: Incident, name: string, now = T0) => slaState(incident, DEFAULT_SLA_POLICY, now).clocks.find((c) => c.name === name);

describe('SLA deadlines from the DESIGN table', () => {
  it.each([
    ['P0', 5 * MIN, 15 * MIN, 1 * H, [15 * MIN, 30 * MIN]],
    ['P1', 15 * MIN, 30 * MIN, 4 * H, [1 * H, 2 * H]],
    ['P2', 1 * H, 24 * H, 24 * H, []],
    ['P3', 4 * H, 7 * 24 * H, 7 * 24 * H, []],
  ] as const)('%s: first response %i ms, update every %i ms, resolve within %i ms', (sev, first, update, resolve, escalations) => {
    const incident = open(sev);
    expect(due(incident, 'first_response')!.dueAt).toBe(T0 + first);
    expect(due(incident, 'next_update')!.dueAt).toBe(T0 + update);
    expect(due(incident, 'resolution')!.dueAt).toBe(T0 + resolve);
    expect(slaState(incident, DEFAULT_SLA_POLICY, T0).escalations.map((e) => e.dueAt - T0)).toEqual(escalations);
  });

  it('first response is met by acknowledgement, breached when late, by how much', () => {
    const onTime = { ...open('P0'), acknowledgedAt: T0 + 4 * MIN };
    expect(due(onTime, 'first_response')).toMatchObject({ metAt: T0 + 4 * MIN, breached: false, overdueMs: 0 });
    const late = { ...open('P0'), acknowledgedAt: T0 + 7 * MIN };
    expect(due(late, 'first_response')).toMatchObject({ breached: true, overdueMs: 2 * MIN });
    expect(due(open('P0'), 'first_response', T0 + 6 * MIN)).toMatchObject({ metAt: null, breached: true, overdueMs: MIN });
  });

  it('each status update restarts the update clock', () => {
    const updated = { ...open('P1'), lastUpdateAt: T0 + 20 * MIN };
    expect(due(updated, 'next_update')!.dueAt).toBe(T0 + 50 * MIN);
  });

  it('resolution stops the update clock and escalations and starts monitoring', () => {
    const resolved = { ...open('P1'), status: 'resolved' as const, resolvedAt: T0 + 2 * H };
    const state = slaState(resolved, DEFAULT_SLA_POLICY, T0 + 3 * H);
    expect(state.clocks.map((c) => c.name)).toEqual(['first_response', 'resolution', 'monitoring_end']);
    expect(state.escalations).toEqual([]);
    expect(state.clocks.find((c) => c.name === 'monitoring_end')!.dueAt).toBe(T0 + 2 * H + 8 * H);
  });

  it('next deadline is the earliest running clock', () => {
    expect(nextDeadline(slaState(open('P0'), DEFAULT_SLA_POLICY, T0))!.name).toBe('first_response');
    const acked = { ...open('P0'), acknowledgedAt: T0 + MIN };
    expect(nextDeadline(slaState(acked, DEFAULT_SLA_POLICY, T0))!.name).toBe('next_update');
  });

  it('a severity change re-derives every clock', () => {
    const p3 = open('P3');
    const p0 = { ...p3, severity: 'P0' as const };
    expect(due(p0, 'resolution')!.dueAt).toBeLessThan(due(p3, 'resolution')!.dueAt);
  });
});
