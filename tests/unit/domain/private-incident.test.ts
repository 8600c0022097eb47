import { describe, expect, it } from 'vitest';
import { createIncident, type Incident } from '../../../src/domain/incident';
import { joinPrivateChannel, leavePrivateChannel, mayRead } from '../../../src/domain/private-incident';

const NOW = 1_796_000_000_000;
const privateIncident = (): Incident =>
  createIncident(
    'INC-20261201-001',
    { title: 'Payroll leak', severity: 'P1', openedBy: 'U0OPENER', private: { members: ['U0OWNER'] } },
    NOW,
  ).incident;
const publicIncident = (): Incident =>
  createIncident('INC-20261201-002', { title: 'Checkout slow', severity: 'P2', openedBy: 'U0OPENER' }, NOW).incident;

/** Applies membership changes in order; a refusal stops with its code. */
function membershipAfter(incident: Incident, steps: ['join' | 'leave', string][]): Incident | string {
  let current = incident;
  for (const [change, user] of steps) {
    const result = change === 'join' ? joinPrivateChannel(current, user, 'U0OPENER', NOW) : leavePrivateChannel(current, user, NOW);
    if (!result.ok) return result.code;
    current = result.incident;
  }
  return current;
}

describe('a private incident’s people follow its private channel', () => {
  it.each<[string, ['join' | 'leave', string][], string, boolean]>([
    ['someone added by hand may read it', [['join', 'U0NEW']], 'U0NEW', true],
    ['an outsider still may not', [['join', 'U0NEW']], 'U0OUTSIDER', false],
    [
      'who left may not',
      [
        ['join', 'U0NEW'],
        ['leave', 'U0NEW'],
      ],
      'U0NEW',
      false,
    ],
    ['an owner let in at open who left may not', [['leave', 'U0OWNER']], 'U0OWNER', false],
    ['the opener who left may not', [['leave', 'U0OPENER']], 'U0OPENER', false],
    [
      'who left and came back may',
      [
        ['join', 'U0NEW'],
        ['leave', 'U0NEW'],
        ['join', 'U0NEW'],
      ],
      'U0NEW',
      true,
    ],
    [
      'another who left stays out when one comes back',
      [
        ['leave', 'U0OWNER'],
        ['join', 'U0NEW'],
        ['leave', 'U0NEW'],
        ['join', 'U0NEW'],
      ],
      'U0OWNER',
      false,
    ],
  ])('%s', (_what, steps, user, readable) => {
    const incident = membershipAfter(privateIncident(), steps);
    expect(typeof incident).not.toBe('string');
    expect(mayRead(incident as Incident, user)).toBe(readable);
  });

  it('a role holder who left the channel keeps the role but may no longer read it', () => {
    const withRole = { ...privateIncident(), roles: { scribe: 'U0SCRIBE' } };
    expect(mayRead(withRole, 'U0SCRIBE')).toBe(true);
    const gone = membershipAfter(withRole, [['leave', 'U0SCRIBE']]) as Incident;
    expect(gone.roles?.scribe).toBe('U0SCRIBE');
    expect(mayRead(gone, 'U0SCRIBE')).toBe(false);
  });

  it.each<[string, () => Incident, ['join' | 'leave', string][], string]>([
    [
      'joining twice',
      privateIncident,
      [
        ['join', 'U0NEW'],
        ['join', 'U0NEW'],
      ],
      'private.already_in',
    ],
    ['the opener joining', privateIncident, [['join', 'U0OPENER']], 'private.already_in'],
    [
      'leaving twice',
      privateIncident,
      [
        ['leave', 'U0NEW'],
        ['leave', 'U0NEW'],
      ],
      'private.already_out',
    ],
    ['a public incident', publicIncident, [['join', 'U0NEW']], 'incident.not_private'],
    ['leaving a public incident', publicIncident, [['leave', 'U0NEW']], 'incident.not_private'],
  ])('refuses %s (nothing to record)', (_what, make, steps, code) => {
    expect(membershipAfter(make(), steps)).toBe(code);
  });

  it('records each change on the timeline, naming the person', () => {
    const joined = joinPrivateChannel(privateIncident(), 'U0NEW', 'U0OPENER', NOW);
    expect(joined.ok && joined.events).toEqual([
      {
        at: NOW,
        actor: 'U0OPENER',
        kind: 'private_member',
        text: [{ kind: 'user', id: 'U0NEW' }, ' joined the private channel'],
        details: { user: 'U0NEW', change: 'joined' },
      },
    ]);
    const left = leavePrivateChannel(privateIncident(), 'U0OWNER', NOW);
    expect(left.ok && left.events[0]).toMatchObject({ actor: 'U0OWNER', details: { user: 'U0OWNER', change: 'left' } });
  });
});
