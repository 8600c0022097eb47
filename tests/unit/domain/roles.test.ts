import { describe, expect, it } from 'vitest';
import { createIncident, type Incident } from '../../../src/domain/incident';
import { buildEvidenceFiles } from '../../../src/domain/report/evidence-bundle';
import { renderIncidentReport } from '../../../src/domain/report/render-incident-report';
import { assignRole, holderOf, ROLE_GUIDE, ROLES, roleOf } from '../../../src/domain/roles';
import { DECISIONS, REPORT_INPUT, ROLLBACK, scriptedIncident, SEVERITY_ASSESSMENT } from '../report/scripted-incident';

const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
const base: Incident = createIncident('INC-20261121-001', { title: 'checkout errors', severity: 'P1', openedBy: 'U1' }, T0).incident;

describe('roleOf', () => {
  it.each([
    ['comms', 'comms'],
    ['Scribe', 'scribe'],
    ['OPS', 'ops'],
    ['commander', 'commander'],
    ['ic', 'commander'],
    ['communications', 'comms'],
    ['operations', 'ops'],
    ['lead', null],
    ['', null],
  ])('%j → %j', (word, role) => {
    expect(roleOf(word)).toBe(role);
  });
});

describe('assignRole', () => {
  it.each(['comms', 'scribe', 'ops'] as const)('%s: stored in roles, one timeline entry with from/to', (role) => {
    const first = assignRole(base, role, 'U2', 'U1', T0);
    expect(first.ok && holderOf(first.incident, role)).toBe('U2');
    expect(first.ok && first.events).toEqual([
      { at: T0, actor: 'U1', kind: 'role', text: `${ROLE_GUIDE[role].label}: <@U2>`, details: { role, from: null, to: 'U2' } },
    ]);
    const second = first.ok ? assignRole(first.incident, role, 'U3', 'U1', T0) : first;
    expect(second.ok && second.events[0]!.details).toEqual({ role, from: 'U2', to: 'U3' });
  });

  it.each<[string, Partial<Incident>, string, string]>([
    ['same person again', { roles: { ops: 'U2' } }, 'ops', 'incident.same_role'],
    ['closed incident', { status: 'closed' }, 'scribe', 'incident.closed'],
    ['same commander', { commander: 'U2' }, 'commander', 'incident.same_commander'],
  ])('refuses: %s', (_what, over, role, code) => {
    const result = assignRole({ ...base, ...over }, role as never, 'U2', 'U1', T0);
    expect(result.ok ? null : result.code).toBe(code);
  });

  it('commander goes through assignCommander (acknowledges too)', () => {
    const result = assignRole(base, 'commander', 'U2', 'U1', T0);
    expect(result.ok && result.incident).toMatchObject({ commander: 'U2', acknowledgedBy: 'U1' });
  });

  it('every role has a meaning and first steps', () => {
    for (const role of ROLES) {
      expect(ROLE_GUIDE[role].meaning.length).toBeGreaterThan(20);
      expect(ROLE_GUIDE[role].firstSteps.length).toBeGreaterThanOrEqual(2);
    }
  });
});

describe('roles in the report and the evidence bundle', () => {
  it('named in the report header and in resolution-summary.json', () => {
    const { incident, timeline } = scriptedIncident();
    const withRoles = { ...incident, roles: { comms: 'U0COMMS', scribe: 'U0SCRIBE', ops: 'U0OPS' } };
    const userNames = { U0COMMS: 'Cat Comms', U0SCRIBE: 'Sam Scribe' };
    const context = {
      incident: withRoles,
      timeline,
      input: REPORT_INPUT,
      rollback: ROLLBACK,
      severityAssessment: SEVERITY_ASSESSMENT,
      userNames,
      decisions: DECISIONS,
    };
    const report = renderIncidentReport(context);
    expect(report).toContain('**Communications lead**: Cat Comms');
    expect(report).toContain('**Scribe**: Sam Scribe');
    expect(report).toContain('**Operations lead**: U0OPS');
    const resolution = JSON.parse(buildEvidenceFiles(context)['resolution-summary.json']);
    expect(resolution.roles).toMatchObject({
      comms: { id: 'U0COMMS', name: 'Cat Comms' },
      scribe: { id: 'U0SCRIBE', name: 'Sam Scribe' },
      ops: { id: 'U0OPS', name: null },
    });
  });
});
