import { describe, expect, it } from 'vitest';
import { announcementView } from '../../../src/adapters/outbound/slack/views/announcement-view';
import { channelTopic } from '../../../src/adapters/outbound/slack/views/channel-topic';
import { drillScorecardMessage } from '../../../src/adapters/outbound/slack/views/drill-scorecard-message';
import { incidentDetailBlocks } from '../../../src/adapters/outbound/slack/views/incident-detail-view';
import { appHomeView, incidentListBlocks } from '../../../src/adapters/outbound/slack/views/incident-list-view';
import { lifecycleMessage } from '../../../src/adapters/outbound/slack/views/lifecycle-message';
import { resolveModal, updateModal } from '../../../src/adapters/outbound/slack/views/modals';
import { paperTrailSection } from '../../../src/adapters/outbound/slack/views/paper-trail-section';
import { reportModal } from '../../../src/adapters/outbound/slack/views/report-modal';
import { roleGivenMessage } from '../../../src/adapters/outbound/slack/views/role-message';
import { rollbackApprovalView, rollbackFailedText } from '../../../src/adapters/outbound/slack/views/rollback-approval-view';
import { slaNoticeMessage } from '../../../src/adapters/outbound/slack/views/sla-notice-message';
import { statusUpdateMessage } from '../../../src/adapters/outbound/slack/views/status-update-message';
import { NO_GATE_FACTS, type Incident } from '../../../src/domain/incident';
import { requestPlaceholders } from '../../../src/domain/rollback/rollback-request';
import {
  APPROVERS,
  expectNeutralised,
  expectSnapshot,
  expectView,
  fullIncident,
  HOSTILE,
  ID,
  LONG,
  MIN,
  PLAN,
  request,
  sla,
  T0,
} from './render-fixtures';

const BIG = `${HOSTILE} ${LONG}`;

/** Every field that carries text from outside (alerts, webhooks, forms, runner output) at its worst. */
function hostile(over: Partial<Incident> = {}): Incident {
  return fullIncident({
    title: BIG,
    summary: BIG,
    impact: BIG,
    severityReason: BIG,
    service: HOSTILE,
    commander: 'alert:<!channel>\u202Ealertmanager',
    resolutionSummary: BIG,
    oncall: { people: [{ name: HOSTILE, level: 1 }], escalationPolicy: 'P0POLICY', at: T0 },
    alertContext: {
      links: [{ kind: 'runbook', title: HOSTILE, url: 'https://runbooks.example/checkout' }],
      labels: [{ name: 'alertname', value: HOSTILE }],
    },
    signals: {
      atOpen: null,
      latest: { source: HOSTILE, at: T0 + 10 * MIN, values: { error_rate: 12 }, unavailable: HOSTILE },
      raiseProposal: { severity: 'P0', explanation: BIG, at: T0 + 10 * MIN },
      recovery: null,
    },
    ...over,
  });
}

async function check(name: string, rendered: Parameters<typeof expectView>[1]): Promise<void> {
  expectNeutralised(rendered);
  await expectView(`hostile-${name}`, rendered);
}

describe('hostile text is neutralised and cut, and Slack would still take every view', () => {
  it('announcement, open and resolved', async () => {
    const open = hostile();
    await check('announcement-open', announcementView({ incident: open, sla: sla(open), now: T0 + 12 * MIN }));
    const resolved = hostile({ status: 'resolved', resolvedAt: T0 + 40 * MIN });
    const view = announcementView({ incident: resolved, sla: sla(resolved), now: T0 + 41 * MIN });
    await check('announcement-resolved', view);
    // The state leads the header, so a title cut at 150 characters never hides it.
    expect(JSON.stringify(view.blocks[0])).toContain(`${ID} [P1] — RESOLVED`);
  });

  it('status update, lifecycle and role messages', async () => {
    await check('status-update', statusUpdateMessage(hostile(), BIG, T0 + 45 * MIN, 'U0CMD'));
    await check('lifecycle-resolved', lifecycleMessage(hostile(), 'resolved', 'alert:<!channel>', T0 + 40 * MIN));
    await check('role-given', roleGivenMessage(hostile(), 'scribe', 'U0CMD'));
  });

  it('SLA notices', async () => {
    const i = hostile({ lastUpdateAt: T0 + 10 * MIN, lastUpdateBy: 'alert:<!here>' });
    await check(
      'sla-update-due',
      slaNoticeMessage({
        incident: i,
        now: T0 + 45 * MIN,
        lateByMs: null,
        timerKey: 't',
        kind: 'update_due',
        everyMs: 30 * MIN,
        since: T0 + 10 * MIN,
        lastUpdateBy: 'alert:<!here>',
      }),
    );
    await check(
      'sla-escalation',
      slaNoticeMessage({
        incident: i,
        now: T0 + 45 * MIN,
        lateByMs: null,
        timerKey: 't',
        kind: 'escalation',
        level: 2,
        afterMs: 30 * MIN,
        mentions: [],
      }),
    );
  });

  it('/incident list, App Home and /incident show', async () => {
    const i = hostile();
    const items = [{ incident: i, sla: sla(i, T0 + 60 * MIN) }];
    await check('list', { text: '1 open incident(s)', blocks: incidentListBlocks(items, T0 + 60 * MIN) });
    await check('app-home', appHomeView(items, T0 + 60 * MIN));
    const trail = {
      gates: [{ gate: 3 as const, name: 'Recovery validated', passed: false, missing: [HOSTILE] }],
      actionItems: [{ key: 'a', text: BIG, owner: 'U0OWNER', addedBy: 'U0CMD', addedAt: T0 }],
      statesFresh: true,
      report: null,
    };
    const overridden = hostile({ gates: { ...NO_GATE_FACTS, recoveryOverride: { by: 'U0CMD', reason: BIG, at: T0 } } });
    const timeline = [{ id: '1-0', at: T0, actor: 'alert:<!channel>', kind: 'note', text: BIG }];
    const blocks = incidentDetailBlocks(
      overridden,
      sla(overridden, T0 + 60 * MIN),
      { entries: timeline, total: timeline.length },
      T0 + 60 * MIN,
      paperTrailSection(overridden, trail, { enforced: true }),
    );
    await check('show', { text: 'show', blocks });
  });

  it('modals quote the title as text', async () => {
    const i = hostile();
    await check('modal-update', updateModal(i));
    await check('modal-resolve', resolveModal(i));
    await check('modal-report', reportModal({ incident: i, previous: null, actionItems: [] }));
  });

  it('rollback approval and the manual-intervention text carry runner output', async () => {
    const r = request({
      service: 'checkout',
      release: HOSTILE,
      status: 'failed',
      readiness: { passed: false, checks: [{ name: HOSTILE, passed: false, detail: BIG }], at: T0 },
      attempts: [{ runner: HOSTILE, kind: 'command', outcome: 'failed', verification: 'skipped', detail: BIG, durationMs: 1, link: null }],
      outcomeDetail: BIG,
    });
    await check(
      'rollback-failed',
      rollbackApprovalView({
        request: r,
        incident: { id: ID, title: BIG, severity: 'P1', severityConfirmed: null, status: 'investigating' },
        plan: PLAN,
        approvers: APPROVERS,
        placeholders: requestPlaceholders(r),
        now: T0 + 21 * MIN,
      }),
    );
    const text = rollbackFailedText(r, ['<@U0CMD>']);
    expectNeutralised({ blocks: [{ type: 'section', text: { type: 'mrkdwn', text: text.replace('<@U0CMD>', '') } }] });
    expect(text.length).toBeLessThanOrEqual(3000);
    await expectSnapshot('hostile-rollback-failed-text', { text });
  });

  it('drill scorecard and channel topic', async () => {
    await check(
      'drill-scorecard',
      drillScorecardMessage({
        incidentId: ID,
        scenario: BIG,
        severity: 'P1',
        speed: 1,
        steps: [],
        updates: { longestGapMs: 0, targetMs: 30 * MIN, met: true },
        met: 0,
        missed: 0,
      }),
    );
    const topic = channelTopic(hostile());
    expect(topic.length).toBeLessThanOrEqual(250);
    expect(topic).not.toMatch(/[<>\u200B\u202E\u2066\uFEFF]/);
    await expectSnapshot('hostile-channel-topic', { topic });
  });
});
