import { describe, expect, it } from 'vitest';
import { createIncident, NO_GATE_FACTS, type Incident } from '../../../src/domain/incident';
import { approvalFactsChanged } from '../../../src/domain/rollback/approval-facts-changed';

const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
const base: Incident = createIncident('INC-20261121-001', { title: 'checkout errors', severity: 'P1', openedBy: 'U1' }, T0).incident;

describe('approvalFactsChanged: what makes the approval blocks redraw', () => {
  it.each<[string, Partial<Incident>, boolean]>([
    ['severity', { severity: 'P0' }, true],
    ['gate 1 confirmed', { severityConfirmed: { by: 'U2', at: T0 } }, true],
    ['state', { status: 'resolved' }, true],
    ['title', { title: 'checkout down' }, true],
    ['a gate fact', { gates: { ...NO_GATE_FACTS, readinessPassedAt: T0 } }, true],
    ['nothing', {}, false],
    ['the latest update text', { impact: 'still looking', lastUpdateAt: T0 }, false],
    [
      'alert counts',
      {
        alerts: {
          groupKey: 'g',
          firing: 3,
          resolved: 0,
          total: 3,
          allResolvedAt: null,
          potentialFalsePositive: false,
          truncated: 0,
          seq: 2,
        },
      },
      false,
    ],
    ['the commander', { commander: 'U3' }, false],
  ])('%s → %s', (_what, change, expected) => {
    expect(approvalFactsChanged(base, { ...base, ...change })).toBe(expected);
  });
});
