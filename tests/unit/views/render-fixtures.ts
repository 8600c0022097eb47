import type { KnownBlock, View } from '@slack/types';
import { expect } from 'vitest';
import { ACTIONS } from '../../../src/adapters/outbound/slack/ids';
import { createIncident, type Incident } from '../../../src/domain/incident';
import type { RollbackPlan } from '../../../src/domain/rollback/rollback-plan';
import { createRequest, type RollbackRequest } from '../../../src/domain/rollback/rollback-request';
import { DEFAULT_SLA_POLICY, slaState, type SlaState } from '../../../src/domain/sla-policy';
import { blockKitErrors, viewErrors } from '../../../src/sandbox/slack-emulator/block-kit-limits';
import { blockKitProblems } from '../../support/slack-stand-in';

/** One fixed clock and fixed ids for every rendered view: a snapshot changes only when a view does. */
export const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
export const MIN = 60_000;
export const ID = 'INC-20261121-001';

/** Outside text at its worst: broadcasts, mentions, a link, formatting, zero-width and RTL controls. */
export const HOSTILE =
  '<!channel> <!here> <@U123> <!subteam^S0TEAM> <https://evil.example|click me> *bold* _it_ ~gone~ `code` a\u200Bb\u200Dc \u202Eevil\u202C \u2066iso\u2069 \uFEFFbom & done';
/** Over 3,000 characters, so every text that carries it must be cut. */
export const LONG = `${'overlong '.repeat(400)}END`;

export function incident(over: Partial<Incident> = {}): Incident {
  const base = createIncident(
    ID,
    {
      title: 'Checkout returns 500s',
      severity: 'P1',
      openedBy: 'U0OPENER',
      service: 'checkout',
      summary: 'Error rate above 5% since the 09:55 deploy.',
    },
    T0,
  ).incident;
  return { ...base, ...over };
}

export function sla(i: Incident, now = T0): SlaState {
  return slaState(i, DEFAULT_SLA_POLICY, now);
}

/** Everything an announcement can show at once. */
export function fullIncident(over: Partial<Incident> = {}): Incident {
  return incident({
    acknowledgedAt: T0 + 2 * MIN,
    acknowledgedBy: 'U0ACK',
    commander: 'U0CMD',
    severityConfirmed: { by: 'U0CMD', at: T0 + 3 * MIN },
    roles: { comms: 'U0COMMS', scribe: 'U0SCRIBE', ops: 'U0OPS' },
    impact: 'About 8% of checkouts fail; a fix is being tested.',
    lastUpdateAt: T0 + 10 * MIN,
    lastUpdateBy: 'U0CMD',
    channel: { id: 'C0INC', name: 'inc-20261121-001-checkout' },
    announcement: { channel: 'C0RESPONSE', ts: '1763719200.000100' },
    github: { issueNumber: 42, url: 'https://github.com/acme/incidents/issues/42' },
    oncall: {
      people: [
        { name: 'Ana Lima', level: 1 },
        { name: 'Bo Chen', level: 2 },
      ],
      escalationPolicy: 'P0POLICY',
      at: T0,
    },
    alerts: {
      groupKey: 'group-1',
      firing: 2,
      resolved: 3,
      total: 5,
      allResolvedAt: null,
      potentialFalsePositive: false,
      truncated: 1,
      seq: 4,
    },
    alertContext: {
      links: [
        { kind: 'runbook', title: 'Checkout runbook', url: 'https://runbooks.example/checkout' },
        { kind: 'dashboard', title: 'Checkout dashboard', url: 'https://grafana.example/d/checkout' },
      ],
      labels: [
        { name: 'alertname', value: 'HighErrorRate' },
        { name: 'service', value: 'checkout' },
      ],
    },
    signals: {
      atOpen: { source: 'Prometheus', at: T0, values: { error_rate: 7.5, latency_p99_ms: 900 }, unavailable: null },
      latest: { source: 'Prometheus', at: T0 + 10 * MIN, values: { error_rate: 12, latency_p99_ms: 1200 }, unavailable: null },
      raiseProposal: { severity: 'P0', explanation: 'error_rate 12% is above the P0 threshold of 10%', at: T0 + 10 * MIN },
      recovery: null,
    },
    ...over,
  });
}

export const PROPOSE_ROLLBACK = { actionId: ACTIONS.proposeRollback, text: 'Propose rollback', value: ID };

export const PLAN: RollbackPlan = {
  level: 'component',
  runners: [
    {
      kind: 'command',
      name: 'deploy-script',
      argv: ['./deploy.sh', 'rollback', '{service}', '{release}'],
      timeoutMs: 300_000,
      graceMs: 5_000,
      outputCapBytes: 65_536,
    },
    {
      kind: 'github_actions',
      name: 'rollback-workflow',
      owner: 'acme',
      repo: 'deploy',
      workflow: 'rollback.yml',
      ref: 'main',
      inputs: { service: '{service}', release: '{release}' },
      timeoutMs: 900_000,
      pollMs: 5_000,
    },
  ],
  readiness: [{ kind: 'file_exists', name: 'artifact present', path: '/releases/{release}', times: 1, intervalMs: 0 }],
  verification: [
    {
      kind: 'http',
      name: 'checkout healthy',
      url: 'https://checkout.example/health',
      expectStatuses: [{ min: 200, max: 299 }],
      timeoutMs: 5_000,
      times: 3,
      intervalMs: 10_000,
    },
  ],
};

export const APPROVERS = { users: ['U0APPROVER', 'U0LEAD'], groups: ['S0SRE'] };

export function request(over: Partial<RollbackRequest> = {}): RollbackRequest {
  const base = createRequest(
    {
      id: `${ID}-R1`,
      incidentId: ID,
      service: 'checkout',
      release: 'v41',
      level: 'component',
      requestedBy: 'U0REQ',
      severity: 'P1',
      approvalsNeeded: 1,
      ttlMs: 15 * MIN,
      readiness: {
        passed: true,
        checks: [{ name: 'artifact present', passed: true, detail: '/releases/v41 exists' }],
        at: T0 + 20 * MIN,
      },
      runners: ['deploy-script', 'rollback-workflow'],
      auto: false,
    },
    T0 + 20 * MIN,
  );
  return { ...base, ...over };
}

type Message = { text?: string; blocks: KnownBlock[] };

/** Slack would take it: the emulator's limit checks and the stand-in's both find nothing. */
export function expectWithinLimits(rendered: Message | View): void {
  if ('type' in rendered && (rendered.type === 'modal' || rendered.type === 'home')) {
    expect(viewErrors(rendered)).toEqual([]);
  } else {
    expect(blockKitErrors(rendered.blocks, 'message')).toEqual([]);
  }
  expect(blockKitProblems(rendered.blocks, 'type' in rendered ? 100 : 50)).toEqual([]);
  if ('text' in rendered && typeof rendered.text === 'string') expect(rendered.text.length).toBeLessThanOrEqual(3000);
}

/** The view as a reviewer reads it: indented JSON, compared with the committed file. */
export async function expectSnapshot(name: string, rendered: unknown): Promise<void> {
  await expect(`${JSON.stringify(rendered, null, 2)}\n`).toMatchFileSnapshot(`./__snapshots__/${name}.json`);
}

export async function expectView(name: string, rendered: Message | View): Promise<void> {
  expectWithinLimits(rendered);
  await expectSnapshot(name, rendered);
}

const INVISIBLE = /[\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;
const LIVE_MARKUP = ['<!channel>', '<!here>', '<@U123>', '<!subteam^S0TEAM>', '<https://evil.example'];

/** The texts people read: text objects of one type (and the notification fallback, which Slack parses like mrkdwn). */
function shownTexts(rendered: unknown, type: 'mrkdwn' | 'plain_text'): string[] {
  const out: string[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const obj = node as Record<string, unknown>;
    if (obj.type === type && typeof obj.text === 'string') out.push(obj.text);
    for (const value of Object.values(obj)) visit(value);
  };
  visit(rendered);
  if (type === 'mrkdwn' && rendered && typeof rendered === 'object' && typeof (rendered as { text?: unknown }).text === 'string')
    out.push((rendered as { text: string }).text);
  return out;
}

/**
 * Hostile text rendered harmless: no live mention, broadcast or link where Slack parses markup,
 * and no invisible control in anything shown. (A form's prefilled input keeps what was typed.)
 */
export function expectNeutralised(rendered: unknown): void {
  const parsed = shownTexts(rendered, 'mrkdwn');
  for (const text of parsed) for (const markup of LIVE_MARKUP) expect(text).not.toContain(markup);
  for (const text of [...parsed, ...shownTexts(rendered, 'plain_text')]) expect(text).not.toMatch(INVISIBLE);
}
