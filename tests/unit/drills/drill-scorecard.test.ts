import { describe, expect, it } from 'vitest';
import { policyFor } from '../../../src/domain/drills/drill-policy';
import { drillScorecard } from '../../../src/domain/drills/drill-scorecard';
import { createIncident, type Incident } from '../../../src/domain/incident';
import { DEFAULT_SLA_POLICY } from '../../../src/domain/sla-policy';
import type { TimelineEvent } from '../../../src/domain/timeline';

const T0 = Date.UTC(2026, 11, 1, 14, 0, 0);
const s = 1000;
const drill = { scenario: 'p1-error-spike', runId: 'r1', speed: 60, page: false };

function incident(patch: Partial<Incident>): Incident {
  const { incident } = createIncident('INC-20261201-001', { title: 'errors', severity: 'P1', openedBy: 'alert:generic', drill }, T0);
  return { ...incident, ...patch };
}
const update = (at: number): TimelineEvent => ({ id: `${at}-0`, at, actor: 'U1', kind: 'status_update', text: 'x' });

describe('drill scorecard (drill time = wall time × speed, judged against the severity table)', () => {
  it.each([
    // ack after 10 s wall = 10 min drill: P1 first response is 15 min → met
    ['acknowledged in time', { acknowledgedAt: T0 + 10 * s }, 'acknowledge', 600_000, true],
    // ack after 20 s wall = 20 min drill → missed
    ['acknowledged late', { acknowledgedAt: T0 + 20 * s }, 'acknowledge', 1_200_000, false],
    ['never acknowledged', {}, 'acknowledge', null, false],
    // resolved after 3 min wall = 3 h drill: P1 resolve within 4 h → met
    ['resolved in time', { resolvedAt: T0 + 180 * s }, 'resolve', 10_800_000, true],
    ['resolved late', { resolvedAt: T0 + 300 * s }, 'resolve', 18_000_000, false],
  ])('%s', (_what, patch, name, tookMs, met) => {
    const card = drillScorecard(incident(patch as Partial<Incident>), [], DEFAULT_SLA_POLICY, 60);
    const step = card.steps.find((x) => x.name === name)!;
    expect(step.tookMs).toBe(tookMs);
    expect(step.met).toBe(met);
  });

  it('times confirmation and approval without judging them, and counts met and missed clocks', () => {
    const inc = incident({
      acknowledgedAt: T0 + 5 * s,
      severityConfirmed: { by: 'U1', at: T0 + 8 * s },
      gates: {
        readinessPassedAt: null,
        decisionRecordedAt: T0 + 30 * s,
        recoveryValidatedAt: null,
        recoveryOverride: null,
        reportWrittenAt: null,
      },
      resolvedAt: T0 + 60 * s,
    });
    const card = drillScorecard(inc, [update(T0 + 20 * s), update(T0 + 40 * s)], DEFAULT_SLA_POLICY, 60);
    expect(card.steps.map((x) => [x.name, x.tookMs, x.met])).toEqual([
      ['acknowledge', 300_000, true],
      ['confirm_severity', 480_000, null],
      ['approve_rollback', 1_800_000, null],
      ['resolve', 3_600_000, true],
    ]);
    // Longest gap without an update: 20 s wall = 20 min drill, within P1's 30 min cadence.
    expect(card.updates).toEqual({ longestGapMs: 1_200_000, targetMs: 1_800_000, met: true });
    expect([card.met, card.missed]).toEqual([3, 0]);
  });

  it('a status-update gap longer than the cadence is a missed clock', () => {
    const card = drillScorecard(
      incident({ acknowledgedAt: T0 + s, resolvedAt: T0 + 100 * s }),
      [update(T0 + 10 * s)],
      DEFAULT_SLA_POLICY,
      60,
    );
    expect(card.updates.met).toBe(false);
    expect(card.missed).toBe(1);
  });
});

describe('SLA clocks of a drill played faster', () => {
  it('divides every duration by the speed; real incidents keep the table', () => {
    const fast = policyFor({ drill }, DEFAULT_SLA_POLICY);
    expect(fast.P1.firstResponseMs).toBe(15_000);
    expect(fast.P0.escalations).toEqual([
      { level: 2, afterMs: 15_000 },
      { level: 3, afterMs: 30_000 },
    ]);
    expect(policyFor({ drill: null }, DEFAULT_SLA_POLICY)).toBe(DEFAULT_SLA_POLICY);
    expect(policyFor({ drill: { ...drill, speed: 1 } }, DEFAULT_SLA_POLICY)).toBe(DEFAULT_SLA_POLICY);
  });
});
