/** Members of a chat user group, by user id (Slack user groups). */
export interface UserGroupMembers {
  members(groupId: string): Promise<string[]>;
}

/** An account as it stands now: deactivated, or a guest (single- or multi-channel). */
export interface UserAccount {
  deleted: boolean;
  guest: boolean;
}

/** Looks up an account at the moment of a decision (Slack users.info). Errors propagate: the caller fails closed. */
export interface UserAccounts {
  account(userId: string): Promise<UserAccount>;
}
