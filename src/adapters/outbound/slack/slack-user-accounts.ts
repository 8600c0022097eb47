import type { webApi } from '@slack/bolt';
import type { UserAccount, UserAccounts } from '../../../app/ports/user-accounts';

/** users.info (scope users:read): deactivated (`deleted`) and guests (`is_restricted`, `is_ultra_restricted`). */
export class SlackUserAccounts implements UserAccounts {
  constructor(private readonly client: webApi.WebClient) {}

  async account(userId: string): Promise<UserAccount> {
    const result = await this.client.users.info({ user: userId });
    const user = result.user;
    if (!user) throw new Error(`users.info returned no user for ${userId}`);
    return { deleted: user.deleted === true, guest: user.is_restricted === true || user.is_ultra_restricted === true };
  }
}
