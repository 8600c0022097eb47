import { describe, expect, it } from 'vitest';
import { parseIncidentCommand } from '../../../src/adapters/inbound/slack/parse-command';

describe('/incident open --private', () => {
  it.each([
    ['open --privat P1 payroll', 'Did you mean `--private`?'],
    ['open P1 payroll --pirvate', 'Did you mean `--private`?'],
    ['open --private=yes P1 payroll', 'Did you mean `--private`?'],
  ])('refuses the near miss %s and opens nothing', (text, said) => {
    const parsed = parseIncidentCommand(text);
    expect(parsed.kind).toBe('error');
    expect((parsed as { message: string }).message).toContain(said);
    expect((parsed as { message: string }).message).toContain('Nothing was opened.');
  });

  it.each(['update --private identified fixed', 'resolve INC-20261121-001 --private', 'note --privte secret', 'list --private'])(
    'refuses --private on %s, saying it goes with open',
    (text) => {
      const parsed = parseIncidentCommand(text);
      expect(parsed).toMatchObject({ kind: 'error' });
      expect((parsed as { message: string }).message).toContain('`--private` goes with `/incident open` only');
    },
  );
});

describe('/incident parsing', () => {
  it.each([
    ['', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['HELP', { kind: 'help' }],
    ['list', { kind: 'list' }],
    ['open', { kind: 'open', severity: null, title: '', private: false }],
    ['open checkout is slow', { kind: 'open', severity: null, title: 'checkout is slow', private: false }],
    ['open P1 checkout errors', { kind: 'open', severity: 'P1', title: 'checkout errors', private: false }],
    ['open p0 db down', { kind: 'open', severity: 'P0', title: 'db down', private: false }],
    ['open --private P1 payroll export leaked', { kind: 'open', severity: 'P1', title: 'payroll export leaked', private: true }],
    ['open P1 payroll export leaked --private', { kind: 'open', severity: 'P1', title: 'payroll export leaked', private: true }],
    ['open —private P2 hr data', { kind: 'open', severity: 'P2', title: 'hr data', private: true }],
    ['open --private', { kind: 'open', severity: null, title: '', private: true }],
    ['open P1 error rate -50% on checkout', { kind: 'open', severity: 'P1', title: 'error rate -50% on checkout', private: false }],
    ['update', { kind: 'update', id: null, status: null, text: '' }],
    ['update identified bad deploy', { kind: 'update', id: null, status: 'identified', text: 'bad deploy' }],
    ['update INC-20261121-001 monitoring fix out', { kind: 'update', id: 'INC-20261121-001', status: 'monitoring', text: 'fix out' }],
    ['update still looking', { kind: 'update', id: null, status: null, text: 'still looking' }],
    [
      'update investigating monitorng is what I typed',
      { kind: 'update', id: null, status: 'investigating', text: 'monitorng is what I typed' },
    ],
    ['open Payments are failing', { kind: 'open', severity: null, title: 'Payments are failing', private: false }],
    ['severity P0', { kind: 'severity', id: null, severity: 'P0' }],
    ['severity inc-20261121-002 p2', { kind: 'severity', id: 'INC-20261121-002', severity: 'P2' }],
    ['severity confirm', { kind: 'confirm_severity', id: null }],
    ['commander <@U123ABC|bob>', { kind: 'commander', id: null, user: 'U123ABC' }],
    ['commander INC-20261121-001 <@W999>', { kind: 'commander', id: 'INC-20261121-001', user: 'W999' }],
    ['note saw a spike', { kind: 'note', id: null, text: 'saw a spike' }],
    ['split HighErrorRate', { kind: 'split', id: null, child: 'HighErrorRate' }],
    ['split HighErrorRate INC-20261121-001', { kind: 'split', id: 'INC-20261121-001', child: 'HighErrorRate' }],
    ['split INC-20261121-001 HighErrorRate', { kind: 'split', id: 'INC-20261121-001', child: 'HighErrorRate' }],
    [
      'split {}:{alertname=“DiskFull”, cluster="eu"} inc-20261121-002',
      { kind: 'split', id: 'INC-20261121-002', child: '{}:{alertname="DiskFull", cluster="eu"}' },
    ],
    ['role comms <@U0COMMS|cat>', { kind: 'role', id: null, role: 'comms', user: 'U0COMMS' }],
    ['role ops INC-20261121-001 <@U0OPS>', { kind: 'role', id: 'INC-20261121-001', role: 'ops', user: 'U0OPS' }],
    ['role INC-20261121-001 scribe <@W0SCRIBE>', { kind: 'role', id: 'INC-20261121-001', role: 'scribe', user: 'W0SCRIBE' }],
    ['role Commander <@U0IC>', { kind: 'role', id: null, role: 'commander', user: 'U0IC' }],
    ['role communications <@U0C>', { kind: 'role', id: null, role: 'comms', user: 'U0C' }],
    ['resolve', { kind: 'resolve', id: null, summary: '' }],
    ['resolve rolled back v42', { kind: 'resolve', id: null, summary: 'rolled back v42' }],
    ['close INC-20261121-001', { kind: 'close', id: 'INC-20261121-001' }],
    ['reopen', { kind: 'reopen', id: null }],
    ['show INC-20261121-001', { kind: 'show', id: 'INC-20261121-001' }],
    ['rollback checkout v41', { kind: 'rollback', id: null, args: 'checkout v41' }],
    ['drill', { kind: 'drill', action: 'list', scenario: '' }],
    ['drill list', { kind: 'drill', action: 'list', scenario: '' }],
    ['drill P1-Error-Spike', { kind: 'drill', action: 'start', scenario: 'p1-error-spike' }],
    ['drill stop', { kind: 'drill', action: 'stop', scenario: '' }],
    ['watch', { kind: 'watch' }],
    ['WATCH', { kind: 'watch' }],
  ])('%j', (text, expected) => {
    expect(parseIncidentCommand(text)).toEqual(expected);
  });

  it.each([
    ['frobnicate', /Unknown subcommand "frobnicate".*\/incident help/],
    ['split', /Name the alert group to split out/],
    ['split INC-20261121-001', /Name the alert group to split out/],
    ['splti HighErrorRate', /Did you mean `split`\?/],
    ['open P1', /Give the incident a title/],
    ['update identified', /Say what changed/],
    ['update closed done', /\/incident close/],
    ['severity P7', /one of P0, P1, P2, P3 \(got "P7"\)/],
    ['severity', /one of P0, P1, P2, P3/],
    ['commander bob', /Mention the new commander/],
    ['commander @bob', /Mention the new commander/],
    ['note', /needs some text/],
    ['show banana', /not an incident id/],
    ['update monitorng Fix deployed', /Unknown status "monitorng"\. Did you mean `monitoring`\?.*Nothing was posted/],
    ['update INC-20261121-001 identifed bad deploy', /Did you mean `identified`\?/],
    ['update closd done', /Use `\/incident close`/],
    ['severity P5', /one of P0, P1, P2, P3 \(got "P5"\)\. Did you mean `P3`\?/],
    ['severity sev1', /Did you mean `P1`\?/],
    ['severity confrim', /Did you mean `confirm`\?/],
    ['severity high', /one of P0, P1, P2, P3 \(got "high"\)\. `/],
    ['open P7 db down', /Severity must be one of P0, P1, P2, P3 \(got "P7"\)\. Did you mean `P3`\? Nothing was opened/],
    ['open sev-1 db down', /Did you mean `P1`\?/],
    ['role scrib <@U0S>', /Unknown role "scrib"\. Did you mean `scribe`\?/],
    ['role operation <@U0S>', /Did you mean `ops`\?/],
    ['role <!channel> <@U0S>', /Unknown role "&lt;!channel&gt;"/],
    ['role', /Name the role/],
    ['role ops bob', /Mention the person/],
    ['updte identified x', /Unknown subcommand "updte"\. Did you mean `update`\?/],
    ['drill p1-error-spike now please', /Name one scenario: `\/incident drill p1-error-spike`/],
    ['watch checkout', /`\/incident watch` takes nothing after it/],
  ])('refuses %j with what to type instead', (text, message) => {
    const parsed = parseIncidentCommand(text);
    expect(parsed.kind).toBe('error');
    expect(parsed.kind === 'error' && parsed.message).toMatch(message);
  });
});
