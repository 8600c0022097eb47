import type { Approvers } from '../domain/rollback/service-rollback-config';
import type { Logger } from '../logger';
import type { UserAccounts, UserGroupMembers } from './ports/user-accounts';

/** Whether someone may decide now, and if not, why (shown to them). */
export type ApproverCheck = { approver: true } | { approver: false; why: string };

/**
 * Is this Slack user an approver at the moment of the decision? Listed by id, or a member of a
 * listed group read fresh now (a cached list would let someone removed from the group approve
 * until it expired), and then their account: guests and deactivated users are never approvers,
 * whatever the list says. Any failed lookup is a "no" (fail closed).
 */
export class ApproverDirectory {
  constructor(
    private readonly groups: UserGroupMembers,
    private readonly accounts: UserAccounts,
    private readonly log: Logger,
  ) {}

  async check(userId: string, approvers: Approvers, service: string): Promise<ApproverCheck> {
    const listed = approvers.users.includes(userId) || (await this.inAGroup(userId, approvers.groups));
    if (!listed) return { approver: false, why: `You are not an approver for ${service} rollbacks.` };
    try {
      const account = await this.accounts.account(userId);
      if (account.deleted) return { approver: false, why: 'Deactivated accounts cannot approve.' };
      if (account.guest) return { approver: false, why: `Guest accounts cannot approve ${service} rollbacks.` };
      return { approver: true };
    } catch (error) {
      this.log.warn({ err: error, user: userId }, 'could not look up the account (users.info); treating the user as not an approver');
      return { approver: false, why: 'Your Slack account could not be checked just now (users.info failed); try again shortly.' };
    }
  }

  private async inAGroup(userId: string, groups: readonly string[]): Promise<boolean> {
    for (const group of groups) {
      try {
        if ((await this.groups.members(group)).includes(userId)) return true;
      } catch (error) {
        this.log.warn({ err: error, group }, 'could not list user group members; treating the user as not in it');
      }
    }
    return false;
  }
}
