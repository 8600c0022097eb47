import { describe, it } from 'vitest';
import { addToTimelineModal, openIncidentModal, resolveModal, updateModal } from '../../../src/adapters/outbound/slack/views/modals';
import { reportModal } from '../../../src/adapters/outbound/slack/views/report-modal';
import { NO_GATE_FACTS } from '../../../src/domain/incident';
import { DEFAULT_SEVERITY_DEFINITIONS } from '../../../src/domain/severity';
import { expectView, ID, incident, MIN, T0 } from './render-fixtures';

const SERVICES = [{ name: 'checkout', description: 'Cart and payment' }, { name: 'search' }];
const message = {
  channel: 'C0INC',
  ts: '1763719800.000200',
  text: 'Deploy v42 went out at 09:55\nerrors started right after',
  author: 'U0DEV',
};

describe('modal snapshots', () => {
  it('open an incident: services, channel box ticked, title from the command', async () => {
    await expectView(
      'modal-open',
      openIncidentModal({
        title: 'Checkout returns 500s',
        severities: DEFAULT_SEVERITY_DEFINITIONS,
        services: SERVICES,
        createChannelDefault: true,
        originChannel: 'C0RESPONSE',
      }),
    );
  });

  it('open an incident: no services, channel box unticked, no title', async () => {
    await expectView(
      'modal-open-bare',
      openIncidentModal({ severities: DEFAULT_SEVERITY_DEFINITIONS, services: [], createChannelDefault: false }),
    );
  });

  it('post an update', async () => {
    await expectView('modal-update', updateModal(incident({ status: 'identified' })));
  });

  it('post an update to a resolved incident', async () => {
    await expectView('modal-update-resolved', updateModal(incident({ status: 'resolved', resolvedAt: T0 + 40 * MIN })));
  });

  it('resolve: recovery not validated asks for a reason (gate 3)', async () => {
    await expectView('modal-resolve', resolveModal(incident()));
  });

  it('resolve: recovery validated, summary filled in', async () => {
    const validated = incident({
      gates: { ...NO_GATE_FACTS, recoveryValidatedAt: T0 + 30 * MIN },
      resolutionSummary: 'Rolled back to v41.',
    });
    await expectView('modal-resolve-validated', resolveModal(validated));
  });

  it('add to timeline: no open incident', async () => {
    await expectView('modal-timeline-none', addToTimelineModal([], message));
  });

  it('add to timeline: the channel’s own incident preselected', async () => {
    const other = incident({ id: 'INC-20261121-002', title: 'Search slow', severity: 'P3' });
    await expectView('modal-timeline', addToTimelineModal([incident(), other], message, 'INC-20261121-002'));
  });

  it('incident report: first time, action items from /incident action', async () => {
    const resolved = incident({ status: 'resolved', resolvedAt: T0 + 40 * MIN, resolutionSummary: 'Rolled back to v41.' });
    await expectView(
      'modal-report',
      reportModal({
        incident: resolved,
        previous: null,
        actionItems: [{ text: 'Add a canary for checkout', owner: 'U0OWNER', due: '2026-12-01' }],
      }),
    );
  });

  it('incident report: written again, starting from the last answers', async () => {
    const resolved = incident({ id: ID, status: 'resolved', resolvedAt: T0 + 40 * MIN });
    await expectView(
      'modal-report-revision',
      reportModal({
        incident: resolved,
        previous: {
          rootCause: 'A config flag flipped in v42.',
          impact: '8% of checkouts failed for 40 minutes.',
          usersAffected: 'about 1,200',
          sloImpact: '30% of the monthly error budget',
          resolution: 'Rolled back to v41.',
          wentWell: ['Alert fired within 2 minutes', 'Rollback was approved fast'],
          couldImprove: ['No canary'],
          prevention: 'Canary deploys for checkout.',
        },
        actionItems: [{ text: 'Add a canary for checkout', owner: '@alice' }],
      }),
    );
  });
});
