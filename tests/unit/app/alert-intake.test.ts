import { describe, expect, it } from 'vitest';
import { AlertIntake } from '../../../src/app/alert-intake';
import { alertGroupId } from '../../../src/app/alert-group-id';
import { IncidentService } from '../../../src/app/incident-service';
import type { AlertBatch, NormalizedAlert } from '../../../src/domain/alert';
import { DEFAULT_SEVERITY_RULES } from '../../../src/domain/classifier/default-rules';
import { DEFAULT_SLA_POLICY } from '../../../src/domain/sla-policy';
import { FakeAlertStore } from '../../fakes/alert-store';
import { createMetrics, manualClock, silentLogger } from '../../fakes/clock';
import { FakeIncidentStore } from '../../fakes/incident-store';

function setup() {
  const store = new FakeIncidentStore();
  const alerts = new FakeAlertStore();
  const clock = manualClock();
  const service = new IncidentService({ store, clock, log: silentLogger(), metrics: createMetrics(), slaPolicy: DEFAULT_SLA_POLICY });
  const intake = new AlertIntake({ service, alerts, rules: DEFAULT_SEVERITY_RULES, flapWindowMs: 0, log: silentLogger() });
  service.observe(intake);
  return { store, alerts, clock, service, intake };
}

function alert(over: Partial<NormalizedAlert> = {}): NormalizedAlert {
  return {
    source: 'generic',
    groupKey: 'generic:checkout-5xx',
    fingerprint: 'fp-1',
    status: 'firing',
    changedAt: null,
    service: 'checkout',
    title: 'Checkout 5xx above 5%',
    description: 'error rate high',
    labels: { alertname: 'Checkout5xx' },
    signals: { error_rate: 12 },
    startsAt: null,
    endsAt: null,
    links: [],
    severityLabel: 'P1',
    deliveryId: null,
    ...over,
  };
}

const batch = (alerts: NormalizedAlert[], over: Partial<AlertBatch> = {}): AlertBatch => ({
  source: alerts[0]?.source ?? 'generic',
  alerts,
  truncatedAlerts: 0,
  ...over,
});

describe('AlertIntake: alerts into incidents (in-memory ports)', () => {
  it('a firing alert opens an incident from the alert and binds its group to it', async () => {
    const s = setup();
    const result = await s.intake.receive(batch([alert()]));
    expect(result).toMatchObject({ outcome: 'accepted', accepted: 1, unmatched: 0 });
    expect(result.opened).toEqual(result.incidents);
    const incident = (await s.service.get(result.opened[0]!))!;
    expect(incident).toMatchObject({ title: 'Checkout 5xx above 5%', service: 'checkout', source: 'generic', openedBy: 'alert:generic' });
    expect((await s.alerts.group('generic:checkout-5xx')).incidentId).toBe(incident.id);
  });

  it.each<[string, NormalizedAlert[], { incidents: number; outcome: 'accepted' | 'duplicate'; firing: number; total: number }]>([
    [
      'the same alert twice is one incident and a duplicate',
      [alert(), alert()],
      { incidents: 1, outcome: 'duplicate', firing: 1, total: 1 },
    ],
    [
      'a second alert of the group joins the incident',
      [alert(), alert({ fingerprint: 'fp-2' })],
      { incidents: 1, outcome: 'accepted', firing: 2, total: 2 },
    ],
    [
      'its resolution is counted on the same incident',
      [alert(), alert({ status: 'resolved' })],
      { incidents: 1, outcome: 'accepted', firing: 0, total: 1 },
    ],
    [
      'another group opens its own incident',
      [alert(), alert({ groupKey: 'generic:search', fingerprint: 'fp-9' })],
      { incidents: 2, outcome: 'accepted', firing: 1, total: 1 },
    ],
  ])('%s', async (_name, deliveries, expected) => {
    const s = setup();
    let last = await s.intake.receive(batch([deliveries[0]!]));
    for (const d of deliveries.slice(1)) last = await s.intake.receive(batch([d]));
    expect(s.store.incidents.size).toBe(expected.incidents);
    expect(last.outcome).toBe(expected.outcome);
    const counts = await s.alerts.counts(last.incidents[0]!);
    expect(counts).toMatchObject({ firing: expected.firing, total: expected.total });
  });

  it('a resolved alert with no open incident opens nothing and is counted as unmatched', async () => {
    const s = setup();
    const result = await s.intake.receive(batch([alert({ status: 'resolved' })]));
    expect(result).toMatchObject({ outcome: 'accepted', incidents: [], opened: [], unmatched: 1 });
    expect(s.store.incidents.size).toBe(0);
  });

  it('resolving the incident retires the group: the next firing opens a new incident', async () => {
    const s = setup();
    const first = (await s.intake.receive(batch([alert()]))).opened[0]!;
    await s.service.resolve(first, 'U0BOB');
    expect((await s.alerts.group('generic:checkout-5xx')).incidentId).toBeNull();
    const second = await s.intake.receive(batch([alert({ fingerprint: 'fp-again' })]));
    expect(second.opened).toHaveLength(1);
    expect(second.opened[0]).not.toBe(first);
    expect((await s.alerts.group('generic:checkout-5xx')).generation).toBe(1);
  });

  it('reopening an incident takes its group back, so the next alert joins it', async () => {
    const s = setup();
    const first = (await s.intake.receive(batch([alert()]))).opened[0]!;
    await s.service.resolve(first, 'U0BOB');
    await s.service.reopen(first, 'U0BOB');
    const next = await s.intake.receive(batch([alert({ fingerprint: 'fp-2' })]));
    expect(next.opened).toEqual([]);
    expect(next.incidents).toEqual([first]);
  });

  it('a delivery id seen before is a duplicate and changes nothing', async () => {
    const s = setup();
    const first = await s.intake.receive(batch([alert({ deliveryId: 'evt-1' })]));
    const again = await s.intake.receive(batch([alert({ deliveryId: 'evt-1', fingerprint: 'fp-other' })]));
    expect(again).toMatchObject({ outcome: 'duplicate', incidents: first.incidents, opened: [] });
    expect(await s.alerts.counts(first.incidents[0]!)).toMatchObject({ total: 1 });
  });

  it('an upstream resolution (the sender runs its own incident) is recorded, never acted on', async () => {
    const s = setup();
    const id = (await s.intake.receive(batch([alert()], { upstream: { name: 'PagerDuty' } }))).opened[0]!;
    await s.intake.receive(batch([alert({ status: 'resolved' })], { upstream: { name: 'PagerDuty' } }));
    expect((await s.service.get(id))?.status).toBe('investigating');
    expect((await s.service.timeline(id)).map((e) => e.text).join('\n')).toContain(
      'Resolved in PagerDuty; recorded here, not resolved automatically.',
    );
  });

  it('the create idempotency key is the group id and its generation: a long group key is hashed', () => {
    expect(alertGroupId('generic:short')).toBe('generic:short');
    const long = `alertmanager:{}:{alertname="${'x'.repeat(300)}"}`;
    expect(alertGroupId(long)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(alertGroupId(long)).toBe(alertGroupId(long));
  });
});
