import type { WebClient } from '@slack/web-api';
import type { UserDirectory } from '../../../app/ports/user-directory';
import type { UserNames } from '../../../domain/report/people-text';
import type { Logger } from '../../../logger';

const USER_ID = /^[UW][A-Z0-9]{2,}$/;

export interface SlackUserDirectoryOptions {
  /** How long a name is trusted; people rename themselves rarely. */
  ttlMs?: number;
  /** Names kept at most; the oldest go first. */
  maxEntries?: number;
  now?: () => number;
}

/**
 * Names from Slack's `users.info` (scope `users:read`), cached per user. A failed lookup is
 * logged once per call and not cached, so the next render tries again; meanwhile the id shows.
 */
export class SlackUserDirectory implements UserDirectory {
  private readonly cache = new Map<string, { name: string; at: number }>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(
    private readonly client: Pick<WebClient, 'users'>,
    private readonly log: Logger,
    options: SlackUserDirectoryOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 3_600_000;
    this.maxEntries = options.maxEntries ?? 1_000;
    this.now = options.now ?? Date.now;
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
    if (hit && this.now() - hit.at < this.ttlMs) return hit.name;
    try {
      const answer = await this.client.users.info({ user: id });
      const u = answer.user;
      const name = u?.profile?.display_name || u?.profile?.real_name || u?.real_name || u?.name;
      if (!name) return null;
      this.cache.delete(id);
      this.cache.set(id, { name, at: this.now() });
      if (this.cache.size > this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
      return name;
    } catch (error) {
      this.log.warn({ user: id, err: (error as Error).message }, 'users.info failed; showing the user id instead of a name');
      return null;
    }
  }
}
