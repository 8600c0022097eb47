import { describe, it } from 'vitest';
import type { SlaNotice } from '../../../src/app/ports/sla-notifier';
import { channelTopic } from '../../../src/adapters/outbound/slack/views/channel-topic';
import { drillScorecardMessage } from '../../../src/adapters/outbound/slack/views/drill-scorecard-message';
import { HELP_TEXT } from '../../../src/adapters/outbound/slack/views/help-text';
import { incidentDetailBlocks } from '../../../src/adapters/outbound/slack/views/incident-detail-view';
import { appHomeView, incidentListBlocks } from '../../../src/adapters/outbound/slack/views/incident-list-view';
import { lifecycleMessage } from '../../../src/adapters/outbound/slack/views/lifecycle-message';
import { paperTrailSection } from '../../../src/adapters/outbound/slack/views/paper-trail-section';
import { commandHandedOverMessage, roleGivenMessage } from '../../../src/adapters/outbound/slack/views/role-message';
import { slaNoticeMessage } from '../../../src/adapters/outbound/slack/views/sla-notice-message';
import { statusUpdateMessage } from '../../../src/adapters/outbound/slack/views/status-update-message';
import type { IncidentPaperTrail } from '../../../src/app/paper-trail/paper-trail-service';
import { NO_GATE_FACTS, type Incident } from '../../../src/domain/incident';
import { phrase, user } from '../../../src/domain/phrase';
import type { TimelineEvent } from '../../../src/domain/timeline';
import { expectSnapshot, expectView, fullIncident, ID, incident, MIN, sla, T0 } from './render-fixtures';

const resolved = (over: Partial<Incident> = {}) =>
  incident({
    status: 'resolved',
    resolvedAt: T0 + 40 * MIN,
    commander: 'U0CMD',
    resolutionSummary: phrase`Rolled back by ${user('U0OPS')}.`,
    ...over,
  });

const TRAIL: IncidentPaperTrail = {
  gates: [
    { gate: 1, name: 'Readiness', passed: true, missing: [] },
    { gate: 2, name: 'Decision recorded', passed: true, missing: [] },
    {
      gate: 3,
      name: 'Recovery validated',
      passed: false,
      missing: ['No verification check has passed: run one, or resolve with a reason.'],
    },
    { gate: 4, name: 'Report written', passed: false, missing: ['Write the report: `/incident report`.'] },
  ],
  actionItems: [
    {
      key: 'a1',
      text: 'Add a canary for checkout',
      owner: 'U0OWNER',
      due: '2026-12-01',
      addedBy: 'U0CMD',
      addedAt: T0,
      issueNumber: 7,
      issueUrl: 'https://github.com/acme/incidents/issues/7',
      state: 'open',
    },
    {
      key: 'a2',
      text: 'Alert on config flag flips',
      owner: '@alice',
      addedBy: 'U0CMD',
      addedAt: T0,
      issueNumber: 8,
      issueUrl: 'https://github.com/acme/incidents/issues/8',
      state: 'closed',
    },
    { key: 'a3', text: 'Document the rollback', owner: 'U0SCRIBE', addedBy: 'U0CMD', addedAt: T0 },
    { key: 'a4', text: 'Retire the old flag', owner: 'U0OPS', addedBy: 'U0CMD', addedAt: T0, failed: 'Validation Failed' },
  ],
  statesFresh: false,
  report: { revision: 2, writtenBy: 'U0SCRIBE', writtenAt: T0 + 80 * MIN },
};

const TIMELINE: TimelineEvent[] = [
  { id: '1-0', at: T0, actor: 'U0OPENER', kind: 'opened', text: 'Opened at P1' },
  { id: '2-0', at: T0 + 2 * MIN, actor: 'alert:alertmanager', kind: 'alert', text: 'HighErrorRate firing' },
  { id: '3-0', at: T0 + 5 * MIN, actor: 'U0CMD', kind: 'note', text: phrase`Paged ${user('U0DB')} for the database` },
  { id: '4-0', at: T0 + 6 * MIN, actor: 'bot', kind: 'sla', text: 'First response met' },
];

describe('message snapshots', () => {
  it('status update (the template)', async () => {
    await expectView(
      'status-update',
      statusUpdateMessage(
        incident({ status: 'identified' }),
        phrase`Bad flag in v42; ${user('U0OPS')} is rolling back.`,
        T0 + 45 * MIN,
        'U0CMD',
      ),
    );
  });

  it('status update once resolved: no next update', async () => {
    await expectView('status-update-resolved', statusUpdateMessage(resolved(), 'Error rate back to normal.', null, 'U0CMD'));
  });

  it('lifecycle: resolved, closed, reopened', async () => {
    await expectView('lifecycle-resolved', lifecycleMessage(resolved(), 'resolved', 'U0CMD', T0 + 40 * MIN));
    await expectView(
      'lifecycle-resolved-report-written',
      lifecycleMessage(
        resolved({ gates: { ...NO_GATE_FACTS, reportWrittenAt: T0 + 60 * MIN } }),
        'resolved',
        'alert:alertmanager',
        T0 + 40 * MIN,
      ),
    );
    await expectView(
      'lifecycle-closed',
      lifecycleMessage(
        resolved({
          status: 'closed',
          closedAt: T0 + 90 * MIN,
          github: { issueNumber: 42, url: 'https://github.com/acme/incidents/issues/42' },
        }),
        'closed',
        'U0CMD',
        T0 + 90 * MIN,
      ),
    );
    await expectView('lifecycle-reopened', lifecycleMessage(incident(), 'reopened', 'U0CMD', T0 + 50 * MIN));
  });

  it('role DMs: given a role, command handed over', async () => {
    await expectView('role-given-comms', roleGivenMessage(fullIncident(), 'comms', 'U0CMD'));
    await expectView('role-given-commander', roleGivenMessage(incident(), 'commander', 'U0LEAD'));
    await expectView('role-command-handed-over', commandHandedOverMessage(fullIncident(), 'U0NEW', 'U0LEAD'));
  });

  const i = fullIncident({ lastUpdateAt: T0 + 10 * MIN, lastUpdateBy: 'U0CMD' });
  const base = { incident: i, now: T0 + 45 * MIN, lateByMs: null, timerKey: `sla:${ID}:x` };
  const NOTICES: SlaNotice[] = [
    { ...base, kind: 'update_due', everyMs: 30 * MIN, since: T0 + 10 * MIN, lastUpdateBy: 'U0CMD' },
    { ...base, incident: incident(), kind: 'update_due', everyMs: 30 * MIN, since: T0, lastUpdateBy: null, lateByMs: 4 * MIN },
    { ...base, kind: 'first_response_breach', targetMs: 15 * MIN },
    { ...base, kind: 'resolution_warning', dueAt: T0 + 4 * 60 * MIN, targetMs: 4 * 60 * MIN },
    { ...base, kind: 'resolution_breach', targetMs: 4 * 60 * MIN, overdueMs: 10 * MIN },
    { ...base, kind: 'escalation', level: 2, afterMs: 30 * MIN, mentions: ['U0MANAGER', 'S0SRE'] },
    { ...base, kind: 'escalation', level: 3, afterMs: 60 * MIN, mentions: [] },
    { ...base, incident: resolved(), kind: 'monitoring_end', resolvedAt: T0 + 40 * MIN },
    { ...base, incident: resolved(), kind: 'report_missing', resolvedAt: T0 + 40 * MIN },
  ];
  for (const [n, notice] of NOTICES.entries())
    it(`SLA notice ${notice.kind} #${n}`, async () => {
      await expectView(`sla-${notice.kind}-${n}`, slaNoticeMessage(notice, `effect-${n}`));
    });

  it('drill scorecard', async () => {
    await expectView(
      'drill-scorecard',
      drillScorecardMessage({
        incidentId: ID,
        scenario: 'checkout-500s',
        severity: 'P1',
        speed: 60,
        steps: [
          { name: 'acknowledge', label: 'Acknowledge', tookMs: 4 * MIN, targetMs: 15 * MIN, met: true },
          { name: 'confirm_severity', label: 'Confirm severity', tookMs: 6 * MIN, targetMs: null, met: null },
          { name: 'approve_rollback', label: 'Approve the rollback', tookMs: null, targetMs: null, met: null },
          { name: 'resolve', label: 'Resolve', tookMs: 5 * 60 * MIN, targetMs: 4 * 60 * MIN, met: false },
        ],
        updates: { longestGapMs: 40 * MIN, targetMs: 30 * MIN, met: false },
        met: 1,
        missed: 2,
      }),
    );
  });

  const listed = [
    incident({ id: 'INC-20261121-003', severity: 'P3', title: 'Search slow', createdAt: T0 + 30 * MIN }),
    fullIncident(),
    incident({ id: 'INC-20261121-002', severity: 'P0', title: 'Payments down', createdAt: T0 + 10 * MIN }),
  ].map((x) => ({ incident: x, sla: sla(x, T0 + 60 * MIN) }));

  it('/incident list', async () => {
    await expectView('list', { text: '3 open incident(s)', blocks: incidentListBlocks(listed, T0 + 60 * MIN) });
    await expectView('list-empty', { text: '0 open incident(s)', blocks: incidentListBlocks([], T0 + 60 * MIN) });
  });

  it('App Home', async () => {
    await expectView('app-home', appHomeView(listed, T0 + 60 * MIN));
    await expectView('app-home-empty', appHomeView([], T0 + 60 * MIN));
  });

  it('/incident show with the paper trail section', async () => {
    const x = resolved({
      gates: { ...NO_GATE_FACTS, recoveryOverride: { by: 'U0CMD', reason: 'Verified by hand in the dashboard', at: T0 + 39 * MIN } },
      github: { issueNumber: 42, url: 'https://github.com/acme/incidents/issues/42' },
    });
    const blocks = incidentDetailBlocks(
      x,
      sla(x, T0 + 60 * MIN),
      { entries: TIMELINE, total: TIMELINE.length },
      T0 + 60 * MIN,
      paperTrailSection(x, TRAIL, { enforced: true }),
    );
    await expectView('show', { text: `${x.id} ${x.title}`, blocks });
  });

  it('paper trail section, gates not enforced, nothing written yet', async () => {
    const blocks = paperTrailSection(
      incident(),
      { gates: TRAIL.gates, actionItems: [], statesFresh: true, report: null },
      { enforced: false },
    );
    await expectView('paper-trail-empty', { blocks });
  });

  it('channel topic and help text', async () => {
    await expectSnapshot('channel-topic', { open: channelTopic(fullIncident()), resolved: channelTopic(resolved()) });
    await expectSnapshot('help-text', { text: HELP_TEXT });
  });
});
