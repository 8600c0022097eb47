import { describe, expect, it } from 'vitest';
import { createIncident, type Incident } from '../../../src/domain/incident';
import { emptyAlerts } from '../../../src/domain/record-alert-state';
import { describeRelated, joinAlertGroup, mergeInto, offerRelated, takeMerged } from '../../../src/domain/related-incidents';

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const MIN = 60_000;

function make(id: string, overrides: Partial<Incident> = {}): Incident {
  const { incident } = createIncident(id, { title: id, severity: 'P2', openedBy: 'U0ALICE', service: 'checkout' }, T0);
  return { ...incident, ...overrides };
}
const person = make('INC-20261121-001');
const alerted = make('INC-20261121-002', {
  openedBy: 'alert:alertmanager',
  alerts: { ...emptyAlerts('g'), firing: 2, total: 2, seq: 3 },
  related: { incidentId: 'INC-20261121-001', openedBy: 'person', openedAt: T0 },
});

describe('related incidents', () => {
  it.each([
    [0, 'opened by a person just now'],
    [2 * MIN + 30_000, 'opened by a person 2 min ago'],
    [90 * MIN, 'opened by a person 1h 30m ago'],
  ])('describes an incident opened %i ms before as "%s"', (ago, text) => {
    expect(describeRelated({ incidentId: 'x', openedBy: 'person', openedAt: T0 }, T0 + ago)).toBe(text);
  });

  it('offers once per related incident', () => {
    const offered = offerRelated(person, { incidentId: 'INC-X', openedBy: 'alert', openedAt: T0 }, T0 + MIN);
    expect(offered.ok && offered.events[0]!.text).toBe('Possibly related to INC-X (opened by an alert 1 min ago).');
    if (!offered.ok) return;
    expect(offerRelated(offered.incident, { incidentId: 'INC-X', openedBy: 'alert', openedAt: T0 }, T0)).toMatchObject({
      ok: false,
      code: 'related.unchanged',
    });
  });

  it('a group joins an incident without alerts, never one that follows another group', () => {
    const joined = joinAlertGroup(person, 'g2', 'High error rate', 'alert:alertmanager', T0 + 2 * MIN);
    expect(joined.ok && joined.incident.alerts?.groupKey).toBe('g2');
    expect(joinAlertGroup(alerted, 'g2', 't', 'alert:alertmanager', T0)).toMatchObject({ ok: false, code: 'related.has_alerts' });
  });

  it('the duplicate is resolved as merged once; the target takes its alert group', () => {
    const merged = mergeInto(alerted, person.id, 'U0BOB', T0 + MIN);
    expect(merged.ok).toBe(true);
    if (!merged.ok) return;
    expect(merged.incident).toMatchObject({ status: 'resolved', mergedInto: person.id });
    expect(merged.events.map((e) => e.kind)).toEqual(['merged_into', 'recovery_override', 'status', 'resolution_summary']);
    expect(mergeInto(merged.incident, person.id, 'U0CAROL', T0 + 2 * MIN)).toMatchObject({ ok: false, code: 'related.already_merged' });
    const taken = takeMerged(person, merged.incident, 'U0BOB', T0 + MIN);
    expect(taken.ok && taken.incident.alerts).toMatchObject({ groupKey: 'g', firing: 2, seq: 3 });
    expect(takeMerged({ ...person, status: 'resolved' }, merged.incident, 'U0BOB', T0)).toMatchObject({
      ok: false,
      code: 'related.target_not_open',
    });
  });
});
