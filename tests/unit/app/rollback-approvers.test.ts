import { describe, expect, it } from 'vitest';
import { ApproverDirectory } from '../../../src/app/rollback-approvers';
import { silentLogger } from '../../fakes/clock';
import { FakeAccounts } from '../../fakes/people';

const approvers = { users: ['U0LISTED'], groups: ['S0SRE'] };

function directory() {
  const people = new FakeAccounts();
  people.groups.set('S0SRE', ['U0INGROUP']);
  people.accounts.set('U0GUEST', { deleted: false, guest: true });
  people.accounts.set('U0GONE', { deleted: true, guest: false });
  return { people, dir: new ApproverDirectory(people, people, silentLogger()) };
}

describe('ApproverDirectory: who may approve a rollback, read at the moment of the click', () => {
  it.each<[string, string, (p: FakeAccounts) => void, { approver: boolean; why?: string }]>([
    ['a listed user', 'U0LISTED', () => {}, { approver: true }],
    ['a member of a listed group', 'U0INGROUP', () => {}, { approver: true }],
    [
      'someone neither listed nor in a group',
      'U0STRANGER',
      () => {},
      { approver: false, why: 'You are not an approver for checkout rollbacks.' },
    ],
    [
      'a listed guest',
      'U0GUEST',
      (p) => p.groups.set('S0SRE', ['U0GUEST']),
      { approver: false, why: 'Guest accounts cannot approve checkout rollbacks.' },
    ],
    [
      'a listed deactivated account',
      'U0GONE',
      (p) => p.groups.set('S0SRE', ['U0GONE']),
      { approver: false, why: 'Deactivated accounts cannot approve.' },
    ],
    [
      'someone just removed from the group',
      'U0INGROUP',
      (p) => p.groups.set('S0SRE', []),
      { approver: false, why: 'You are not an approver for checkout rollbacks.' },
    ],
    [
      'a group member when the group cannot be read (fails closed)',
      'U0INGROUP',
      (p) => p.failing.add('S0SRE'),
      { approver: false, why: 'You are not an approver for checkout rollbacks.' },
    ],
    [
      'a listed user whose account cannot be checked (fails closed)',
      'U0LISTED',
      (p) => p.failing.add('U0LISTED'),
      { approver: false, why: 'Your Slack account could not be checked just now (users.info failed); try again shortly.' },
    ],
  ])('%s', async (_name, user, arrange, expected) => {
    const { people, dir } = directory();
    arrange(people);
    expect(await dir.check(user, approvers, 'checkout')).toEqual(expected);
  });
});
