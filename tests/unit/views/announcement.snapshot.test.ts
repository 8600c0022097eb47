import { describe, it } from 'vitest';
import { announcementView } from '../../../src/adapters/outbound/slack/views/announcement-view';
import { NO_GATE_FACTS, type Incident } from '../../../src/domain/incident';
import { SEVERITIES } from '../../../src/domain/severity';
import { fullIncident, incident, MIN, PROPOSE_ROLLBACK, sla, T0, expectView } from './render-fixtures';

const render = (i: Incident, now = T0 + 5 * MIN) => announcementView({ incident: i, sla: sla(i, now), now });

// The announcement in each severity and each stage of its life: open, resolved (report to write), closed.
const STAGES: Record<'open' | 'resolved' | 'closed', Partial<Incident>> = {
  open: {},
  resolved: {
    status: 'resolved',
    acknowledgedAt: T0 + 2 * MIN,
    acknowledgedBy: 'U0ACK',
    commander: 'U0CMD',
    resolvedAt: T0 + 40 * MIN,
    resolutionSummary: 'Rolled back to v41; error rate back under 0.5%.',
  },
  closed: {
    status: 'closed',
    acknowledgedAt: T0 + 2 * MIN,
    acknowledgedBy: 'U0ACK',
    commander: 'U0CMD',
    resolvedAt: T0 + 40 * MIN,
    closedAt: T0 + 90 * MIN,
    resolutionSummary: 'Rolled back to v41; error rate back under 0.5%.',
    gates: { ...NO_GATE_FACTS, reportWrittenAt: T0 + 80 * MIN },
  },
};

describe('announcement snapshots', () => {
  for (const severity of SEVERITIES)
    for (const [stage, over] of Object.entries(STAGES))
      it(`${severity} ${stage}`, async () => {
        await expectView(`announcement-${severity}-${stage}`, render(incident({ severity, ...over }), T0 + 100 * MIN));
      });

  it('possibly related: the offer with its merge button; merged: where it went', async () => {
    const related = { incidentId: 'INC-20261121-002', openedBy: 'person' as const, openedAt: T0 + 3 * MIN };
    await expectView('announcement-related-offer', render(incident({ related })));
    await expectView(
      'announcement-merged',
      render(incident({ related, status: 'resolved', resolvedAt: T0 + 6 * MIN, mergedInto: 'INC-20261121-002' }), T0 + 7 * MIN),
    );
  });

  it('everything at once: roles, alerts, links, on-call, signals with a raise offer, extra buttons', async () => {
    const i = fullIncident();
    await expectView(
      'announcement-full',
      announcementView({ incident: i, sla: sla(i, T0 + 12 * MIN), now: T0 + 12 * MIN, extraButtons: [PROPOSE_ROLLBACK] }),
    );
  });

  it('all alerts resolved while open: the resolve offer; signals unavailable', async () => {
    const i = fullIncident({
      alerts: {
        groupKey: 'group-1',
        firing: 0,
        resolved: 5,
        total: 5,
        allResolvedAt: T0 + 30 * MIN,
        potentialFalsePositive: true,
        truncated: 0,
        seq: 9,
      },
      signals: {
        atOpen: { source: 'Prometheus', at: T0, values: { error_rate: 7.5 }, unavailable: null },
        latest: { source: 'Prometheus', at: T0 + 30 * MIN, values: {}, unavailable: 'Prometheus did not answer in 5s' },
        raiseProposal: null,
        recovery: null,
      },
    });
    await expectView('announcement-alerts-resolved', render(i, T0 + 31 * MIN));
  });

  it('resolved with recovery validated by evidence and the report written: Close offered', async () => {
    const i = fullIncident({
      ...STAGES.resolved,
      gates: { ...NO_GATE_FACTS, recoveryValidatedAt: T0 + 38 * MIN, reportWrittenAt: T0 + 60 * MIN },
      signals: {
        atOpen: { source: 'Prometheus', at: T0, values: { error_rate: 7.5 }, unavailable: null },
        latest: { source: 'Prometheus', at: T0 + 38 * MIN, values: { error_rate: 0.3 }, unavailable: null },
        raiseProposal: null,
        recovery: {
          at: T0 + 38 * MIN,
          holdForMs: 2 * MIN,
          source: 'Prometheus',
          alerts: { groupKey: 'group-1', resolved: 5, allResolvedAt: T0 + 35 * MIN },
          signals: [{ signal: 'error_rate', max: 0.4, threshold: 1, samples: 8 }],
        },
      },
    });
    await expectView('announcement-recovered', render(i, T0 + 61 * MIN));
  });

  it('breached clocks', async () => {
    await expectView('announcement-breached', render(incident({ severity: 'P0' }), T0 + 3 * 60 * MIN));
  });
});
