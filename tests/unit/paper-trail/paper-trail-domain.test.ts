import { describe, expect, it } from 'vitest';
import { parseIncidentCommand } from '../../../src/adapters/inbound/slack/parse-command';
import { createIncident, resolve, type Incident } from '../../../src/domain/incident';
import { checkGates } from '../../../src/domain/paper-trail/check-gates';
import { isSignificant, issueComment } from '../../../src/domain/paper-trail/issue-comment';
import { overrideRecovery } from '../../../src/domain/paper-trail/override-recovery';
import { isCalendarDate, parseActionItem, parseActionItemLines } from '../../../src/domain/paper-trail/parse-action-item';
import { recordReport } from '../../../src/domain/paper-trail/record-report';
import { phrase, user } from '../../../src/domain/phrase';

const T0 = Date.UTC(2026, 10, 21, 14, 2);
const open = (): Incident =>
  createIncident('INC-20261121-001', { title: 'checkout errors', severity: 'P1', openedBy: 'U0ALICE' }, T0).incident;
const must = <T extends { ok: boolean }>(r: T) => {
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r as Extract<T, { ok: true }>;
};

describe('parseActionItem', () => {
  it.each([
    ['Add canary checks @U0BOB1234 2026-12-01', { text: 'Add canary checks', owner: 'U0BOB1234', due: '2026-12-01' }],
    ['Document timeouts @dave', { text: 'Document timeouts', owner: '@dave' }],
  ])('%s', (line, item) => expect(parseActionItem(line)).toEqual({ ok: true, item }));

  it.each([
    ['', 'action.empty'],
    ['do it', 'action.no_owner'],
    ['do it @bob 2026-02-30', 'action.bad_due'],
    ['@bob', 'action.no_text'],
    [`${'x'.repeat(201)} @bob`, 'action.too_long'],
  ])('%s → %s', (line, code) => expect(parseActionItem(line)).toMatchObject({ ok: false, code }));

  it('names every bad line of the form and keeps the good ones (list markers allowed)', () => {
    const { items, errors } = parseActionItemLines('- one @a\n\ntwo\n• three @c 2026-01-31');
    expect(items.map((i) => i.text)).toEqual(['one', 'three']);
    expect(errors).toEqual([expect.stringMatching(/^Line 3: Name an owner/)]);
  });

  it('calendar dates only', () => {
    expect(['2026-02-28', '2024-02-29'].map(isCalendarDate)).toEqual([true, true]);
    expect(['2026-02-29', '2026-13-01', '26-01-01'].map(isCalendarDate)).toEqual([false, false, false]);
  });
});

describe('parse-command: report, action, resolve --override', () => {
  it.each([
    ['report', { kind: 'report', id: null }],
    ['report inc-20261121-001', { kind: 'report', id: 'INC-20261121-001' }],
    ['action INC-20261121-001 "x y" <@U0BOB|bob>', { kind: 'action', id: 'INC-20261121-001', item: { text: 'x y', owner: 'U0BOB' } }],
    // Mentions arrive Slack-escaped; the Slack edge hands the rules `@U0BOB`.
    [
      'action "Add canary checks" <@U0BOB|bob> 2026-12-01',
      { kind: 'action', id: null, item: { text: 'Add canary checks', owner: 'U0BOB', due: '2026-12-01' } },
    ],
    ['action “Add canary checks” <@U0BOB>', { kind: 'action', id: null, item: { text: 'Add canary checks', owner: 'U0BOB' } }],
    ['resolve fixed it --override "checked by hand"', { kind: 'resolve', id: null, summary: 'fixed it', override: 'checked by hand' }],
    [
      'resolve INC-20261121-001 —override dashboards green',
      { kind: 'resolve', id: 'INC-20261121-001', summary: '', override: 'dashboards green' },
    ],
    ['resolve fixed it', { kind: 'resolve', id: null, summary: 'fixed it' }],
  ])('%s', (text, parsed) => expect(parseIncidentCommand(text)).toEqual(parsed));

  it.each([
    ['resolve fixed --override ""', /Give the reason after --override/],
    ['report not-an-id', /is not an incident id/],
    ['action "x"', /\/incident action \[id\] "<what to do>" @owner/],
  ])('%s → error', (text, message) =>
    expect(parseIncidentCommand(text)).toMatchObject({ kind: 'error', message: expect.stringMatching(message) }),
  );
});

describe('gates as a guard on changes', () => {
  it('a move into resolved needs validated recovery or an override', () => {
    const incident = open();
    const resolved = must(resolve(incident, 'U0ALICE', T0 + 1, 'fixed')).incident;
    expect(checkGates(incident, resolved)).toMatchObject({ ok: false, code: 'gate.recovery_not_validated' });
    const overridden = must(overrideRecovery(incident, 'U0CAROL', '  provider fixed it ', T0 + 1));
    expect(overridden.events[0]).toMatchObject({ kind: 'recovery_override', details: { reason: 'provider fixed it' } });
    expect(checkGates(incident, must(resolve(overridden.incident, 'U0CAROL', T0 + 1, 'fixed')).incident)).toBeNull();
  });

  it('a move into closed needs summary and report; other moves are not judged', () => {
    const resolved = { ...open(), status: 'resolved' as const, resolvedAt: T0, resolutionSummary: null };
    const closed = { ...resolved, status: 'closed' as const };
    expect(checkGates(resolved, closed)).toMatchObject({
      code: 'gate.documentation_missing',
      reason: expect.stringMatching(/resolution summary[\s\S]*incident report/),
    });
    const reported = must(
      recordReport(resolved, 'U0ALICE', T0 + 5, {
        path: 'docs/incidents/INC-20261121-001.md',
        revision: 1,
        resolutionSummary: 'Rolled back.',
      }),
    );
    expect(reported.events.map((e) => e.kind)).toEqual(['resolution_summary', 'report_written']);
    expect(checkGates(reported.incident, { ...reported.incident, status: 'closed' })).toBeNull();
    expect(checkGates(open(), { ...open(), status: 'identified' })).toBeNull();
  });

  it('an override needs a reason and an open incident', () => {
    expect(overrideRecovery(open(), 'U0ALICE', '   ', T0)).toMatchObject({ ok: false, code: 'override.no_reason' });
    expect(overrideRecovery({ ...open(), status: 'resolved' }, 'U0ALICE', 'x', T0)).toMatchObject({ ok: false, code: 'override.not_open' });
  });
});

describe('issue comments', () => {
  it('significant kinds only, rollback ones by prefix', () => {
    expect(
      ['severity', 'status_update', 'resolution_summary', 'rollback_approved', 'verification', 'recovery_override'].every(isSignificant),
    ).toBe(true);
    expect(['note', 'opened', 'acknowledged', 'github_issue', 'channel'].some(isSignificant)).toBe(false);
  });

  it('says what, when and who, people by name (never a GitHub @mention), and the report link', () => {
    const event = {
      id: '1-0',
      at: T0,
      actor: 'U0ALICE',
      kind: 'report_written',
      text: phrase`Incident report written by ${user('U0ALICE')}: docs/incidents/x.md`,
    };
    const body = issueComment(event, { reportUrl: 'https://github.test/r', names: { U0ALICE: 'Alice Liddell' } });
    expect(body).toBe(
      '**Incident report** · 2026-11-21 14:02 UTC · Alice Liddell\n\nIncident report written by Alice Liddell: docs/incidents/x.md\n\nReport: https://github.test/r',
    );
    // The name lookup failed: the bare id, which GitHub does not read as a mention.
    expect(issueComment(event)).toContain('Incident report written by U0ALICE: docs');
    expect(issueComment(event)).not.toMatch(/@U0ALICE/);
  });
});
