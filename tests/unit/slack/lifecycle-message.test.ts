import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/adapters/outbound/slack/ids';
import { announcementView } from '../../../src/adapters/outbound/slack/views/announcement-view';
import { lifecycleMessage, lifecycleMove } from '../../../src/adapters/outbound/slack/views/lifecycle-message';
import { createIncident, NO_GATE_FACTS, type Incident } from '../../../src/domain/incident';
import type { IncidentStatus } from '../../../src/domain/lifecycle';
import { DEFAULT_SLA_POLICY, slaState } from '../../../src/domain/sla-policy';
import { blockKitProblems } from '../../support/slack-stand-in';

const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
const HOSTILE = `<!channel> <@U0EVIL> *bold* \u200b\u202eevil ${'x'.repeat(3100)}`;
const make = (over: Partial<Incident> = {}): Incident => ({
  ...createIncident('INC-20261121-001', { title: 'checkout errors', severity: 'P1', openedBy: 'U1' }, T0).incident,
  ...over,
});
const view = (incident: Incident) => announcementView({ incident, sla: slaState(incident, DEFAULT_SLA_POLICY, T0), now: T0 });
const buttonsOf = (blocks: any[]) => blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements.map((e: any) => e.action_id));
const headerOf = (blocks: any[]) => blocks.find((b) => b.type === 'header').text.text as string;

describe('lifecycleMove', () => {
  it.each<[IncidentStatus, IncidentStatus, string | null]>([
    ['monitoring', 'resolved', 'resolved'],
    ['investigating', 'resolved', 'resolved'],
    ['resolved', 'closed', 'closed'],
    ['resolved', 'investigating', 'reopened'],
    ['investigating', 'identified', null],
    ['identified', 'monitoring', null],
    ['monitoring', 'investigating', null],
  ])('%s → %s: %s', (from, to, move) => {
    expect(lifecycleMove(from, to)).toBe(move);
  });
});

describe('lifecycle messages', () => {
  it('resolved: who, how long, the resolution and the next step', () => {
    const incident = make({ status: 'resolved', resolvedAt: T0 + 90 * 60_000, resolutionSummary: 'rolled back v42' });
    const message = lifecycleMessage(incident, 'resolved', 'U0CAROL', T0 + 90 * 60_000);
    const json = JSON.stringify(message.blocks);
    for (const part of [
      '*INC-20261121-001* [P1] checkout errors *resolved* by <@U0CAROL> after 1h 30m',
      'Resolution:* rolled back v42',
      '/incident report',
    ])
      expect(json).toContain(part);
    expect(message.text).toBe('INC-20261121-001 resolved — checkout errors');
    expect(blockKitProblems(message.blocks)).toEqual([]);
  });

  it('closed: links the GitHub issue when there is one', () => {
    const incident = make({ status: 'closed', github: { issueNumber: 7, url: 'https://github.com/acme/inc/issues/7' } });
    expect(JSON.stringify(lifecycleMessage(incident, 'closed', 'U0CAROL', T0).blocks)).toContain(
      '<https://github.com/acme/inc/issues/7|issue #7>',
    );
  });

  it('an alert or the bot is named, not mentioned', () => {
    const incident = make({ status: 'resolved' });
    expect(JSON.stringify(lifecycleMessage(incident, 'resolved', 'alert:alertmanager', T0).blocks)).toContain('by alertmanager after');
    expect(JSON.stringify(lifecycleMessage(incident, 'reopened', 'bot', T0).blocks)).toContain('reopened* by the bot');
  });

  it.each<['resolved' | 'closed' | 'reopened']>([['resolved'], ['closed'], ['reopened']])(
    '%s: hostile title and summary stay within limits and notify nobody',
    (move) => {
      const incident = make({ title: HOSTILE, resolutionSummary: HOSTILE, status: move === 'reopened' ? 'investigating' : move });
      const message = lifecycleMessage(incident, move, 'U0CAROL', T0);
      expect(blockKitProblems(message.blocks)).toEqual([]);
      const json = JSON.stringify(message);
      expect(json).not.toContain('<!channel>');
      expect(json).not.toContain('<@U0EVIL>');
      expect(message.text.length).toBeLessThanOrEqual(3000);
    },
  );
});

describe('the announcement follows the state', () => {
  it.each<[Partial<Incident>, string, string[]]>([
    [
      {},
      ':large_orange_circle: INC-20261121-001 [P1] checkout errors',
      [ACTIONS.acknowledge, ACTIONS.takeCommand, ACTIONS.confirmSeverity, ACTIONS.postUpdate, ACTIONS.resolve],
    ],
    [
      { status: 'resolved', resolvedAt: T0 },
      ':white_check_mark: INC-20261121-001 [P1] — RESOLVED checkout errors',
      [ACTIONS.writeReport, ACTIONS.reopen],
    ],
    [
      { status: 'resolved', resolvedAt: T0, gates: { ...NO_GATE_FACTS, reportWrittenAt: T0 } },
      ':white_check_mark: INC-20261121-001 [P1] — RESOLVED checkout errors',
      [ACTIONS.writeReport, ACTIONS.close, ACTIONS.reopen],
    ],
    [{ status: 'closed', resolvedAt: T0, closedAt: T0 }, ':lock: INC-20261121-001 [P1] — CLOSED checkout errors', []],
  ])('%j', (over, header, buttons) => {
    const { blocks } = view(make(over));
    expect(headerOf(blocks)).toBe(header);
    expect(buttonsOf(blocks)).toEqual(buttons);
    expect(blockKitProblems(blocks)).toEqual([]);
  });

  it('a title that fills the header never hides the state', () => {
    const { blocks } = view(make({ status: 'closed', title: 'y'.repeat(400) }));
    expect(headerOf(blocks)).toContain('CLOSED');
    expect(headerOf(blocks).length).toBeLessThanOrEqual(150);
  });
});

describe('role DMs', () => {
  it.each(['commander', 'comms', 'scribe', 'ops'] as const)('%s: hostile title stays within limits and notifies nobody', async (role) => {
    const { roleGivenMessage, commandHandedOverMessage } = await import('../../../src/adapters/outbound/slack/views/role-message');
    const incident = make({ title: HOSTILE });
    for (const message of [roleGivenMessage(incident, role, 'U0BY'), commandHandedOverMessage(incident, 'U0NEW', 'U0BY')]) {
      expect(blockKitProblems(message.blocks)).toEqual([]);
      expect(JSON.stringify(message)).not.toContain('<!channel>');
      expect(JSON.stringify(message)).not.toContain('<@U0EVIL>');
    }
  });
});
