/**
 * Slack's documented rate limits for the methods the bot calls: tiers per method per
 * workspace per minute (Tier 2: 20, Tier 3: 50, Tier 4: 100), and chat.postMessage's own
 * rule of about one message per second per channel, short bursts allowed. Slack does not
 * publish the burst size; we allow 5, so a normal incident (announcement, thread reply,
 * channel post) never trips it and a storm does.
 */

export const METHOD_TIERS = {
  'auth.test': 4,
  'bookmarks.add': 2,
  'bookmarks.edit': 2,
  'bots.info': 4,
  'chat.postMessage': 'per-channel',
  'chat.update': 3,
  // Slack lists chat.getPermalink as "Special" (generous, not published); Tier 4 stands in for it.
  'chat.getPermalink': 4,
  'chat.postEphemeral': 4,
  'conversations.create': 2,
  'conversations.invite': 3,
  'conversations.history': 3,
  'conversations.replies': 3,
  'conversations.setTopic': 2,
  'files.getUploadURLExternal': 4,
  'files.completeUploadExternal': 4,
  'usergroups.users.list': 2,
  'users.info': 4,
  'users.lookupByEmail': 3,
  'conversations.list': 2,
  'views.open': 4,
  'views.publish': 4,
} as const satisfies Record<string, 1 | 2 | 3 | 4 | 'per-channel'>;

export type EmulatedMethod = keyof typeof METHOD_TIERS;

const PER_MINUTE = { 1: 1, 2: 20, 3: 50, 4: 100 } as const;
const WINDOW_MS = 60_000;
const CHANNEL_BURST = 5;
const CHANNEL_INTERVAL_MS = 1000;

/** Sliding windows of call times; answers how many seconds to wait (Retry-After) or 0. */
export class RateLimiter {
  private readonly calls = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Records the call when allowed; else returns the Retry-After in whole seconds. */
  take(method: EmulatedMethod, channel?: string): number {
    const tier = METHOD_TIERS[method];
    if (tier === 'per-channel') return this.takeFrom(`${method}:${channel ?? ''}`, CHANNEL_BURST, CHANNEL_BURST * CHANNEL_INTERVAL_MS);
    return this.takeFrom(method, PER_MINUTE[tier], WINDOW_MS);
  }

  private takeFrom(key: string, limit: number, windowMs: number): number {
    const now = this.now();
    const recent = (this.calls.get(key) ?? []).filter((at) => at > now - windowMs);
    if (recent.length >= limit) {
      this.calls.set(key, recent);
      return Math.max(1, Math.ceil((recent[0]! + windowMs - now) / 1000));
    }
    recent.push(now);
    this.calls.set(key, recent);
    return 0;
  }
}
