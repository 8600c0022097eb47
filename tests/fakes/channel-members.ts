import type { ChannelInvites, ChatAccountsByEmail } from '../../src/app/ports/on-call-invites';

/**
 * Chat accounts by email, as `users.lookupByEmail` answers them through SlackAccountsByEmail:
 * matched trimmed and case-insensitively, a deactivated account or an unknown email is null, never a throw.
 */
export class FakeChatAccounts implements ChatAccountsByEmail {
  private readonly byEmail = new Map<string, { user: string; deleted: boolean }>();

  add(email: string, user: string, options: { deleted?: boolean } = {}): this {
    this.byEmail.set(email.trim().toLowerCase(), { user, deleted: options.deleted ?? false });
    return this;
  }

  async userIdFor(email: string): Promise<string | null> {
    const key = email.trim().toLowerCase();
    if (!key.includes('@')) return null;
    const found = this.byEmail.get(key);
    return found && !found.deleted ? found.user : null;
  }
}

/**
 * Who is in which channel, moved by invites as `conversations.invite` does through SlackChannelSetup:
 * only user ids (U…/W…) are invited, someone already in the channel stays once, and nothing throws.
 * `invitations` keeps every invite as it came (channel and users), for "was nobody asked twice".
 */
export class FakeChannelMembers implements ChannelInvites {
  readonly members = new Map<string, Set<string>>();
  readonly invitations: { channel: string; users: string[] }[] = [];

  async invite(channelId: string, users: readonly string[]): Promise<void> {
    const people = users.filter((u) => /^[UW][A-Z0-9]+$/.test(u));
    if (!people.length) return;
    this.invitations.push({ channel: channelId, users: [...people] });
    const members = this.members.get(channelId) ?? new Set<string>();
    for (const u of people) members.add(u);
    this.members.set(channelId, members);
  }

  /** A person leaves the channel (or is removed from it). */
  leave(channelId: string, user: string): void {
    this.members.get(channelId)?.delete(user);
  }

  /** The people in a channel, sorted: what its member list shows. */
  in(channelId: string): string[] {
    return [...(this.members.get(channelId) ?? [])].sort();
  }
}
