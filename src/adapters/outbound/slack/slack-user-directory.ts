import type { WebClient } from '@slack/web-api';
import type { UserDirectory } from '../../../app/ports/user-directory';
import type { UserNames } from '../../../domain/report/people-text';
import type { Logger } from '../../../logger';
import { ExpiringCache } from './expiring-cache';

const USER_ID = /^[UW][A-Z0-9]{2,}$/;

/** Where names are kept between lookups, shared by replicas (Redis); without it, this process only. */
export interface NameCache {
  get(id: string): Promise<string | null>;
  set(id: string, name: string, ttlMs: number): Promise<void>;
}

export interface SlackUserDirectoryOptions {
  shared?: NameCache;
  /** How long a name is trusted; people rename themselves rarely. */
  ttlMs?: number;
  /** Names kept at most; the oldest go first. */
  maxEntries?: number;
  now?: () => number;
}

/**
 * Names from Slack's `users.info` (scope `users:read`), cached per user for ttlMs, in Redis when
 * given (shared by replicas, kept over restarts) and in this process. A failed lookup is logged
 * and not cached, so the next render tries again; meanwhile the id shows.
 */
export class SlackUserDirectory implements UserDirectory {
  private readonly cache: ExpiringCache<string>;
  private readonly ttlMs: number;

  constructor(
    private readonly client: Pick<WebClient, 'users'>,
    private readonly log: Logger,
    private readonly options: SlackUserDirectoryOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 3_600_000;
    this.cache = new ExpiringCache(options.maxEntries ?? 1_000, options.now);
  }

  async names(ids: readonly string[]): Promise<UserNames> {
    const out: Record<string, string> = {};
    const unique = [...new Set(ids)].filter((id) => USER_ID.test(id));
    await Promise.all(
      unique.map(async (id) => {
        const name = await this.name(id);
        if (name) out[id] = name;
      }),
    );
    return out;
  }

  private async name(id: string): Promise<string | null> {
    const hit = this.cache.get(id);
    if (hit) return hit;
    const shared = await this.options.shared?.get(id).catch(() => null);
    if (shared) {
      this.cache.set(id, shared, this.ttlMs);
      return shared;
    }
    try {
      const answer = await this.client.users.info({ user: id });
      const u = answer.user;
      const name = u?.profile?.display_name || u?.profile?.real_name || u?.real_name || u?.name;
      if (!name) return null;
      this.cache.set(id, name, this.ttlMs);
      await this.options.shared
        ?.set(id, name, this.ttlMs)
        .catch((error: unknown) => this.log.debug({ err: error, user: id }, 'could not keep the name in Redis'));
      return name;
    } catch (error) {
      this.log.warn({ user: id, err: (error as Error).message }, 'users.info failed; showing the user id instead of a name');
      return null;
    }
  }
}
