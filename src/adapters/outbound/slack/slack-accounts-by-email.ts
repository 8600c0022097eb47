import type { WebClient } from '@slack/web-api';
import type { ChatAccountsByEmail } from '../../../app/ports/on-call-invites';
import type { Logger } from '../../../logger';
import type { Metrics } from '../../../metrics';
import { ExpiringCache } from './expiring-cache';
import { describeSlackError } from './slack-errors';

export interface SlackAccountsByEmailOptions {
  /** How long a found account is trusted. */
  ttlMs?: number;
  /** How long "nobody has that email" is trusted: short, so a new hire is found the same shift. */
  missTtlMs?: number;
  /** Emails kept at most; the oldest go first. */
  maxEntries?: number;
  now?: () => number;
}

/**
 * The Slack account with a given email (`users.lookupByEmail`, scope `users:read.email`), cached in
 * this process: the on-call is looked up again every refresh of every open incident. `users_not_found`
 * is a short-lived answer; any other failure is logged and counted and not cached. Emails never
 * reach the log.
 */
export class SlackAccountsByEmail implements ChatAccountsByEmail {
  private readonly cache: ExpiringCache<string | null>;
  private readonly ttlMs: number;
  private readonly missTtlMs: number;

  constructor(
    private readonly client: Pick<WebClient, 'users'>,
    private readonly log: Logger,
    private readonly metrics: Metrics,
    options: SlackAccountsByEmailOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 3_600_000;
    this.missTtlMs = options.missTtlMs ?? 600_000;
    this.cache = new ExpiringCache(options.maxEntries ?? 1_000, options.now);
  }

  async userIdFor(email: string): Promise<string | null> {
    const key = email.trim().toLowerCase();
    if (!key.includes('@')) return null;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    try {
      const answer = await this.client.users.lookupByEmail({ email: key });
      const user = answer.user?.deleted ? null : (answer.user?.id ?? null);
      this.cache.set(key, user, user ? this.ttlMs : this.missTtlMs);
      return user;
    } catch (error) {
      const failure = describeSlackError(error);
      if (failure.code === 'users_not_found') {
        this.cache.set(key, null, this.missTtlMs);
        this.log.info("no Slack account has the on-call's PagerDuty email; they are shown but not invited");
        return null;
      }
      this.metrics.slackErrors.inc({ method: 'users.lookupByEmail', error: failure.code });
      this.log.warn({ error: failure.code }, `users.lookupByEmail failed: ${failure.userMessage}; the on-call is not invited`);
      return null;
    }
  }
}
