import type { UserAccount, UserAccounts, UserGroupMembers } from '../../src/app/ports/user-accounts';
import type { UserDirectory } from '../../src/app/ports/user-directory';
import type { UserNames } from '../../src/domain/report/people-text';

/** Names by user id; an unknown id is left out (the renderers show the bare id). */
export class FakeUserDirectory implements UserDirectory {
  constructor(readonly known: UserNames = {}) {}
  async names(ids: readonly string[]): Promise<UserNames> {
    return Object.fromEntries(ids.filter((id) => this.known[id]).map((id) => [id, this.known[id]!]));
  }
}

/** Accounts and groups in memory; a user or group listed in `failing` makes its lookup throw. */
export class FakeAccounts implements UserAccounts, UserGroupMembers {
  readonly accounts = new Map<string, UserAccount>();
  readonly groups = new Map<string, string[]>();
  readonly failing = new Set<string>();
  async account(userId: string): Promise<UserAccount> {
    if (this.failing.has(userId)) throw new Error('users.info failed');
    return this.accounts.get(userId) ?? { deleted: false, guest: false };
  }
  async members(groupId: string): Promise<string[]> {
    if (this.failing.has(groupId)) throw new Error('usergroups.users.list failed');
    return this.groups.get(groupId) ?? [];
  }
}
