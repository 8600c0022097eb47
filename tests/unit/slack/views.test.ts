import { describe, expect, it } from 'vitest';
import { announcementView } from '../../../src/adapters/outbound/slack/views/announcement-view';
import { incidentDetailBlocks } from '../../../src/adapters/outbound/slack/views/incident-detail-view';
import { incidentListBlocks } from '../../../src/adapters/outbound/slack/views/incident-list-view';
import { openIncidentModal } from '../../../src/adapters/outbound/slack/views/modals';
import { statusUpdateMessage } from '../../../src/adapters/outbound/slack/views/status-update-message';
import { ACTIONS } from '../../../src/adapters/outbound/slack/ids';
import { createIncident, type Incident } from '../../../src/domain/incident';
import { DEFAULT_SEVERITY_DEFINITIONS } from '../../../src/domain/severity';
import { DEFAULT_SLA_POLICY, slaState } from '../../../src/domain/sla-policy';
import { blockKitProblems } from '../../support/slack-stand-in';

const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
const make = (over: Partial<Incident> = {}): Incident => ({
  ...createIncident('INC-20261121-001', { title: 'checkout errors', severity: 'P1', openedBy: 'U1' }, T0).incident,
  ...over,
});
const buttonsOf = (blocks: any[]) => blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements.map((e: any) => e.action_id));

describe('announcement', () => {
  it('shows id, severity, status, commander, SLA and the buttons for an open incident', () => {
    const incident = make();
    const { blocks, text } = announcementView({ incident, sla: slaState(incident, DEFAULT_SLA_POLICY, T0), now: T0 });
    expect(text).toContain('INC-20261121-001 [P1] checkout errors');
    const json = JSON.stringify(blocks);
    expect(json).toContain('Investigating');
    expect(json).toContain('First response');
    expect(buttonsOf(blocks)).toEqual([
      ACTIONS.acknowledge,
      ACTIONS.takeCommand,
      ACTIONS.confirmSeverity,
      ACTIONS.postUpdate,
      ACTIONS.resolve,
    ]);
    expect(blockKitProblems(blocks)).toEqual([]);
  });

  it('drops Acknowledge once acknowledged and offers Write report (gate 4) and Reopen once resolved', () => {
    const acked = make({ acknowledgedAt: T0, acknowledgedBy: 'U2' });
    expect(buttonsOf(announcementView({ incident: acked, sla: slaState(acked, DEFAULT_SLA_POLICY, T0), now: T0 }).blocks)).not.toContain(
      ACTIONS.acknowledge,
    );
    const resolved = make({ status: 'resolved', resolvedAt: T0 });
    expect(buttonsOf(announcementView({ incident: resolved, sla: slaState(resolved, DEFAULT_SLA_POLICY, T0), now: T0 }).blocks)).toEqual([
      ACTIONS.writeReport,
      ACTIONS.reopen,
    ]);
    const reported = make({
      status: 'resolved',
      resolvedAt: T0,
      gates: { readinessPassedAt: null, decisionRecordedAt: null, recoveryValidatedAt: null, recoveryOverride: null, reportWrittenAt: T0 },
    });
    expect(
      JSON.stringify(announcementView({ incident: reported, sla: slaState(reported, DEFAULT_SLA_POLICY, T0), now: T0 }).blocks),
    ).toContain('Revise report');
  });

  it('links the GitHub issue once there is one', () => {
    const linked = make({ github: { issueNumber: 7, url: 'https://github.com/acme/incidents/issues/7' } });
    expect(JSON.stringify(announcementView({ incident: linked, sla: slaState(linked, DEFAULT_SLA_POLICY, T0), now: T0 }).blocks)).toContain(
      '<https://github.com/acme/incidents/issues/7|issue #7>',
    );
  });

  it('stays within Slack limits with hostile, huge text', () => {
    const incident = make({
      title: '<!channel> '.repeat(300),
      summary: 'x'.repeat(10_000),
      impact: '&<>'.repeat(3000),
      severityReason: 'y'.repeat(5000),
    });
    const { blocks, text } = announcementView({ incident, sla: slaState(incident, DEFAULT_SLA_POLICY, T0), now: T0 });
    expect(blockKitProblems(blocks)).toEqual([]);
    // mrkdwn text and the notification fallback are parsed for mentions; plain_text headers are not.
    const mrkdwnTexts = JSON.stringify(blocks.filter((b) => b.type !== 'header'));
    expect(mrkdwnTexts).not.toContain('<!channel>');
    expect(text).not.toContain('<!channel>');
  });

  it('marks a breached clock', () => {
    const incident = make();
    const { blocks } = announcementView({ incident, sla: slaState(incident, DEFAULT_SLA_POLICY, T0 + 20 * 60_000), now: T0 + 20 * 60_000 });
    expect(JSON.stringify(blocks)).toContain('BREACHED');
  });
});

describe('other views', () => {
  it('status update follows the status-update template', () => {
    const { blocks } = statusUpdateMessage(make({ status: 'identified' }), 'bad deploy', T0 + 30 * 60_000, 'U2');
    const text = (blocks[0] as any).text.text as string;
    for (const part of [
      'INCIDENT UPDATE [P1]',
      'Incident ID:* INC-20261121-001',
      'Status:* Identified',
      'Impact:* bad deploy',
      'Next Update:',
    ])
      expect(text).toContain(part);
  });

  it('list is most severe first and capped at 50 blocks', () => {
    const items = Array.from({ length: 80 }, (_, i) => {
      const incident = make({ id: `INC-20261121-${String(i).padStart(3, '0')}`, severity: i === 79 ? 'P0' : 'P3' });
      return { incident, sla: slaState(incident, DEFAULT_SLA_POLICY, T0) };
    });
    const blocks = incidentListBlocks(items, T0);
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(blocks[1])).toContain('INC-20261121-079');
    expect(blockKitProblems(blocks)).toEqual([]);
  });

  it('list of one page says how many are open in all and how many are shown', () => {
    const items = Array.from({ length: 20 }, (_, i) => {
      const incident = make({ id: `INC-20261121-${String(i).padStart(3, '0')}` });
      return { incident, sla: slaState(incident, DEFAULT_SLA_POLICY, T0) };
    });
    const json = JSON.stringify(incidentListBlocks(items, T0, 22));
    expect(json).toContain('Open incidents (22)');
    expect(json).toContain('Showing 20 of 22');
    expect(JSON.stringify(incidentListBlocks(items, T0, 20))).not.toContain('Showing');
  });

  it('detail view fits a long timeline', () => {
    const incident = make();
    const timeline = Array.from({ length: 500 }, (_, i) => ({
      id: `${i}-0`,
      at: T0 + i,
      actor: 'U1',
      kind: 'note',
      text: 'n'.repeat(400),
    }));
    const blocks = incidentDetailBlocks(
      incident,
      slaState(incident, DEFAULT_SLA_POLICY, T0),
      { entries: timeline.slice(-15), total: 500 },
      T0,
    );
    expect(blockKitProblems(blocks)).toEqual([]);
    expect(JSON.stringify(blocks)).toContain('500 entries');
    expect(JSON.stringify(blocks)).toContain(`485 earlier entries in GET /api/incidents/${incident.id}`);
  });

  it('open modal lists every severity with its definition and the services', () => {
    const view = openIncidentModal({
      severities: DEFAULT_SEVERITY_DEFINITIONS,
      services: [{ name: 'checkout' }],
      createChannelDefault: true,
      title: 'db',
    }) as any;
    const json = JSON.stringify(view);
    for (const sev of ['P0', 'P1', 'P2', 'P3']) expect(json).toContain(`"value":"${sev}"`);
    expect(json).toContain(DEFAULT_SEVERITY_DEFINITIONS.P0.definition.slice(0, 40));
    expect(json).toContain('"value":"checkout"');
    expect(json).toContain('initial_options');
  });
});
