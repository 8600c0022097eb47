import type { KnownBlock } from '@slack/types';
import type { PostQueue } from '../../../app/ports/post-queue';
import type { Logger } from '../../../logger';
import { slackDidNotTake } from './slack-errors';

/** Where a post goes: a channel, or a reply under the announcement that is also broadcast to its channel. */
export type PostTarget = { channel: string; thread_ts?: undefined } | { channel: string; thread_ts: string; reply_broadcast: true };

/** One post of one status update to one place (the incident channel, or the announcement's thread). */
export interface QueuedPost {
  id: string;
  incidentId: string;
  target: PostTarget;
  text: string;
  blocks: KnownBlock[];
  queuedAt: number;
  /** Tries that failed; after one, the post may have landed without an answer, so it is looked for first. */
  attempts: number;
}

export type PostAttempt = { ok: true } | { ok: false; code: string; userMessage: string };

export type SendOutcome = { outcome: 'posted' } | { outcome: 'queued' } | { outcome: 'failed'; userMessage: string };

export interface StatusUpdateOutboxOptions {
  queue: PostQueue<QueuedPost>;
  post(item: QueuedPost): Promise<PostAttempt>;
  /** Whether an earlier try of this post is in Slack after all (tagged with its id). */
  alreadyPosted(item: QueuedPost): Promise<boolean>;
  log: Logger;
  /** How long one replica may hold an incident's queue while delivering. */
  lockMs?: number;
}

/**
 * Status updates reach Slack in the order they were recorded, per incident. A post Slack did
 * not take (outage, 5xx, 429, no answer) is queued in Redis with everything after it, and
 * delivered by the sweep when Slack answers; while an incident has a queue, new updates join
 * its end rather than overtake it.
 */
export class StatusUpdateOutbox {
  constructor(private readonly options: StatusUpdateOutboxOptions) {}

  async send(incidentId: string, posts: QueuedPost[]): Promise<SendOutcome> {
    const { queue } = this.options;
    if ((await queue.size(incidentId)) > 0) {
      await queue.push(incidentId, posts);
      return { outcome: 'queued' };
    }
    for (const [index, item] of posts.entries()) {
      const posted = await this.options.post(item);
      if (posted.ok) continue;
      if (!slackDidNotTake(posted.code)) return { outcome: 'failed', userMessage: posted.userMessage };
      await queue.push(incidentId, [{ ...item, attempts: 1 }, ...posts.slice(index + 1)]);
      return { outcome: 'queued' };
    }
    return { outcome: 'posted' };
  }

  /** Delivers what is queued, in order per incident; stops an incident's queue at the first post Slack does not take. */
  async deliverQueued(): Promise<number> {
    const { queue, log } = this.options;
    let delivered = 0;
    for (const incidentId of await queue.incidents()) {
      if (!(await queue.lock(incidentId, this.options.lockMs ?? 60_000))) continue;
      try {
        for (let item = await queue.head(incidentId); item; item = await queue.head(incidentId)) {
          const landed = item.attempts > 0 && (await this.options.alreadyPosted(item).catch(() => false));
          const posted: PostAttempt = landed ? { ok: true } : await this.options.post(item);
          if (!posted.ok && slackDidNotTake(posted.code)) {
            await queue.replaceHead(incidentId, { ...item, attempts: item.attempts + 1 });
            break;
          }
          if (!posted.ok)
            log.warn({ incidentId, code: posted.code }, `a queued status update was dropped: Slack refused it (${posted.userMessage})`);
          else delivered += 1;
          await queue.removeHead(incidentId, item.id);
        }
      } finally {
        await queue.unlock(incidentId);
      }
    }
    return delivered;
  }
}
