import type { Clock } from '../domain/clock';
import type { Approvers } from '../domain/rollback/service-rollback-config';
import type { Logger } from '../logger';
import type { UserGroupMembers } from './rollback-ports';

/**
 * Is this Slack user id an approver? Direct ids first, then group membership (by id, never by
 * display name). Group lists are cached briefly; a failed lookup counts as "no" (fail closed).
 */
export class ApproverDirectory {
  private readonly cache = new Map<string, { members: Set<string>; until: number }>();

  constructor(
    private readonly groups: UserGroupMembers,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly cacheMs = 60_000,
  ) {}

  async isApprover(userId: string, approvers: Approvers): Promise<boolean> {
    if (approvers.users.includes(userId)) return true;
    for (const group of approvers.groups) {
      if ((await this.membersOf(group)).has(userId)) return true;
    }
    return false;
  }

  private async membersOf(group: string): Promise<Set<string>> {
    const now = this.clock();
    const cached = this.cache.get(group);
    if (cached && cached.until > now) return cached.members;
    try {
      const members = new Set(await this.groups.members(group));
      this.cache.set(group, { members, until: now + this.cacheMs });
      return members;
    } catch (error) {
      this.log.warn({ err: error, group }, 'could not list user group members; treating the user as not an approver');
      return new Set();
    }
  }
}
