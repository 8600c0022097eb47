import { describe, expect, it } from 'vitest';
import { createIncident, type Incident } from '../../../src/domain/incident';
import { emptyAlerts, recordAlertState, type AlertStateUpdate } from '../../../src/domain/record-alert-state';

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const MIN = 60_000;

function alertIncident(overrides: Partial<Incident> = {}): Incident {
  const { incident } = createIncident(
    'INC-20261121-001',
    { title: 't', severity: 'P2', openedBy: 'alert:generic', source: 'generic', alerts: emptyAlerts('g') },
    T0,
  );
  return { ...incident, ...overrides };
}

function update(overrides: Partial<AlertStateUpdate> = {}): AlertStateUpdate {
  return {
    groupKey: 'g',
    snapshot: { firing: 1, resolved: 0, seq: 1 },
    truncated: 0,
    decision: null,
    actor: 'alert:generic',
    flapWindowMs: 5 * MIN,
    changeText: 'Alert firing: t',
    ...overrides,
  };
}

function apply(incident: Incident, u: AlertStateUpdate, now = T0 + MIN) {
  const change = recordAlertState(incident, u, now);
  if (!change.ok) throw new Error(change.code);
  return change;
}

describe('recordAlertState', () => {
  it.each([
    ['P0 raises P2', 'P0', 'P0', 1],
    ['P1 raises P2', 'P1', 'P1', 1],
    ['P2 keeps P2', 'P2', 'P2', 0],
    ['P3 never lowers P2', 'P3', 'P2', 0],
  ] as const)('%s', (_name, proposed, expected, severityEvents) => {
    const change = apply(alertIncident(), update({ decision: { severity: proposed, explanation: `${proposed} because x` } }));
    expect(change.incident.severity).toBe(expected);
    expect(change.events.filter((e) => e.kind === 'severity')).toHaveLength(severityEvents);
    if (severityEvents) expect(change.incident).toMatchObject({ severityReason: `${proposed} because x`, severityConfirmed: null });
  });

  it('an older snapshot never overwrites newer counts', () => {
    const newer = apply(alertIncident(), update({ snapshot: { firing: 3, resolved: 0, seq: 5 } })).incident;
    const stale = recordAlertState(newer, update({ snapshot: { firing: 1, resolved: 0, seq: 4 } }), T0 + MIN);
    expect(stale).toMatchObject({ ok: false, code: 'alerts.unchanged' });
  });

  it.each([
    ['within the flap window', 4 * MIN, true],
    ['exactly at the flap window', 5 * MIN, true],
    ['after the flap window', 5 * MIN + 1, false],
  ])('all resolved %s → potential false positive: %s', (_name, after, flagged) => {
    const firing = apply(alertIncident(), update()).incident;
    const change = apply(firing, update({ snapshot: { firing: 0, resolved: 1, seq: 2 } }), T0 + after);
    expect(change.incident.alerts).toMatchObject({ allResolvedAt: T0 + after, potentialFalsePositive: flagged });
    expect(change.events.map((e) => e.kind)).toEqual(['alerts', 'alerts_resolved', ...(flagged ? ['potential_false_positive'] : [])]);
    expect(change.incident.status).toBe('investigating');
  });

  it('firing again withdraws the all-resolved mark', () => {
    const resolved = apply(
      apply(alertIncident(), update()).incident,
      update({ snapshot: { firing: 0, resolved: 1, seq: 2 } }),
      T0 + 10 * MIN,
    ).incident;
    const again = apply(resolved, update({ snapshot: { firing: 1, resolved: 0, seq: 3 } }), T0 + 11 * MIN);
    expect(again.incident.alerts?.allResolvedAt).toBeNull();
    expect(again.events.map((e) => e.kind)).toContain('alerts_firing_again');
  });

  it('notes truncation once per higher count', () => {
    const first = apply(alertIncident(), update({ truncated: 3, changeText: null }));
    expect(first.incident.alerts?.truncated).toBe(3);
    expect(first.events.map((e) => e.kind)).toContain('alerts_truncated');
    expect(recordAlertState(first.incident, update({ truncated: 3, changeText: null }), T0)).toMatchObject({ ok: false });
  });

  it('refuses resolved and closed incidents', () => {
    expect(recordAlertState(alertIncident({ status: 'resolved' }), update(), T0)).toMatchObject({
      ok: false,
      code: 'alerts.incident_not_open',
    });
    expect(recordAlertState(alertIncident({ status: 'closed' }), update(), T0)).toMatchObject({
      ok: false,
      code: 'alerts.incident_not_open',
    });
  });

  it('works on incidents stored before alerts existed (no alerts field)', () => {
    const legacy = alertIncident();
    delete legacy.alerts;
    expect(apply(legacy, update()).incident.alerts).toMatchObject({ groupKey: 'g', firing: 1, total: 1 });
  });
});
