import { describe, expect, it } from 'vitest';
import { parseIncidentCommand } from '../../../src/adapters/inbound/slack/parse-command';

describe('/incident parsing', () => {
  it.each([
    ['', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['HELP', { kind: 'help' }],
    ['list', { kind: 'list' }],
    ['open', { kind: 'open', severity: null, title: '' }],
    ['open checkout is slow', { kind: 'open', severity: null, title: 'checkout is slow' }],
    ['open P1 checkout errors', { kind: 'open', severity: 'P1', title: 'checkout errors' }],
    ['open p0 db down', { kind: 'open', severity: 'P0', title: 'db down' }],
    ['update', { kind: 'update', id: null, status: null, text: '' }],
    ['update identified bad deploy', { kind: 'update', id: null, status: 'identified', text: 'bad deploy' }],
    ['update INC-20261121-001 monitoring fix out', { kind: 'update', id: 'INC-20261121-001', status: 'monitoring', text: 'fix out' }],
    ['update still looking', { kind: 'update', id: null, status: null, text: 'still looking' }],
    ['severity P0', { kind: 'severity', id: null, severity: 'P0' }],
    ['severity inc-20261121-002 p2', { kind: 'severity', id: 'INC-20261121-002', severity: 'P2' }],
    ['severity confirm', { kind: 'confirm_severity', id: null }],
    ['commander <@U123ABC|bob>', { kind: 'commander', id: null, user: 'U123ABC' }],
    ['commander INC-20261121-001 <@W999>', { kind: 'commander', id: 'INC-20261121-001', user: 'W999' }],
    ['note saw a spike', { kind: 'note', id: null, text: 'saw a spike' }],
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
  ])('%j', (text, expected) => {
    expect(parseIncidentCommand(text)).toEqual(expected);
  });

  it.each([
    ['frobnicate', /Unknown subcommand "frobnicate".*\/incident help/],
    ['open P1', /Give the incident a title/],
    ['update identified', /Say what changed/],
    ['update closed done', /\/incident close/],
    ['severity P7', /one of P0, P1, P2, P3 \(got "P7"\)/],
    ['severity', /one of P0, P1, P2, P3/],
    ['commander bob', /Mention the new commander/],
    ['commander @bob', /Mention the new commander/],
    ['note', /needs some text/],
    ['show banana', /not an incident id/],
    ['drill p1-error-spike now please', /Name one scenario: `\/incident drill p1-error-spike`/],
  ])('refuses %j with what to type instead', (text, message) => {
    const parsed = parseIncidentCommand(text);
    expect(parsed.kind).toBe('error');
    expect(parsed.kind === 'error' && parsed.message).toMatch(message);
  });
});
