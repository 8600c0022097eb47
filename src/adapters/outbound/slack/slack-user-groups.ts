import type { webApi } from '@slack/bolt';
import type { UserGroupMembers } from '../../../app/ports/user-accounts';

/** Members of a user group through usergroups.users.list (scope usergroups:read). Errors propagate: the caller fails closed. */
export class SlackUserGroups implements UserGroupMembers {
  constructor(private readonly client: webApi.WebClient) {}

  async members(groupId: string): Promise<string[]> {
    const result = await this.client.usergroups.users.list({ usergroup: groupId });
    return (result.users as string[] | undefined) ?? [];
  }
}
