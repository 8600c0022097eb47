/**
 * Finds a person's chat account by the email the pager gives (Slack `users.lookupByEmail`).
 * Null: no account has that email, or the lookup failed (logged there). Never throws.
 */
export interface ChatAccountsByEmail {
  userIdFor(email: string): Promise<string | null>;
}

/** Brings people into an incident's channel (Slack `conversations.invite`). Failures are logged, never thrown. */
export interface ChannelInvites {
  invite(channelId: string, users: readonly string[]): Promise<void>;
}
