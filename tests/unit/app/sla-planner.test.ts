import { describe, expect, it } from 'vitest';
import { IncidentService } from '../../../src/app/incident-service';
import { SlaPlanner } from '../../../src/app/sla/sla-planner';
import type { Severity } from '../../../src/domain/severity';
import { DEFAULT_SLA_PLAN_OPTIONS } from '../../../src/domain/sla/sla-timer';
import { DEFAULT_SLA_POLICY } from '../../../src/domain/sla-policy';
import { createMetrics, manualClock, silentLogger } from '../../fakes/clock';
import { FakeIncidentStore } from '../../fakes/incident-store';
import { FakeTimerEngine } from '../../fakes/timer-engine';

function setup() {
  const store = new FakeIncidentStore();
  const clock = manualClock();
  const timers = new FakeTimerEngine(clock);
  const service = new IncidentService({ store, clock, log: silentLogger(), metrics: createMetrics(), slaPolicy: DEFAULT_SLA_POLICY });
  const planner = new SlaPlanner({
    store,
    timers,
    policy: DEFAULT_SLA_POLICY,
    options: DEFAULT_SLA_PLAN_OPTIONS,
    clock,
    log: silentLogger(),
  });
  service.observe(planner);
  return { store, clock, timers, service, planner };
}

async function open(s: ReturnType<typeof setup>, severity: Severity = 'P1') {
  return (await s.service.open({ title: 'checkout errors', severity, openedBy: 'U0ALICE' })).incident.id;
}

describe('SlaPlanner keeps the SLA timers equal to the plan of the stored incident (in-memory ports)', () => {
  it('opening an incident schedules its first-response breach, and nothing but SLA kinds', async () => {
    const s = setup();
    const id = await open(s);
    const kinds = await s.timers.kinds(`${id}:`);
    expect(kinds).toContain('first_response_breach');
    expect(kinds.every((k) => k !== 'monitoring_end' && k !== 'report_missing')).toBe(true);
  });

  it('acknowledging it cancels the first-response breach', async () => {
    const s = setup();
    const id = await open(s);
    await s.service.acknowledge(id, 'U0BOB');
    expect(await s.timers.kinds(`${id}:`)).not.toContain('first_response_breach');
  });

  it('resolving it drops the resolution clocks and starts the report reminder', async () => {
    const s = setup();
    const id = await open(s);
    await s.service.resolve(id, 'U0BOB');
    const kinds = await s.timers.kinds(`${id}:`);
    expect(kinds).toContain('report_missing');
    expect(kinds).not.toContain('resolution_breach');
    expect(kinds).not.toContain('first_response_breach');
  });

  it('closing it leaves no SLA timer at all', async () => {
    const s = setup();
    const id = await open(s);
    await s.service.resolve(id, 'U0BOB');
    await s.service.close(id, 'U0BOB');
    expect(await s.timers.kinds(`${id}:`)).toEqual([]);
  });

  it('planning twice schedules nothing twice (idempotent by key)', async () => {
    const s = setup();
    const id = await open(s);
    const before = await s.timers.list(`${id}:`);
    expect(await s.planner.replan(id)).toEqual({ scheduled: 0, cancelled: 0 });
    expect(await s.timers.list(`${id}:`)).toEqual(before);
  });

  it('timers of other features under the incident are left alone', async () => {
    const s = setup();
    const id = await open(s);
    await s.timers.schedule({ key: `${id}:pagerduty:trigger:1`, kind: 'pagerduty_event', dueAt: s.clock(), payload: {} });
    await s.service.resolve(id, 'U0BOB');
    await s.service.close(id, 'U0BOB');
    expect(await s.timers.kinds(`${id}:`)).toEqual(['pagerduty_event']);
  });
});
