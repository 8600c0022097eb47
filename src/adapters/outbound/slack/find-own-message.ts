import type { webApi } from '@slack/bolt';

/** Message metadata as Slack returns it with include_all_metadata. */
export interface MessageMetadata {
  event_type?: string;
  event_payload?: Record<string, unknown>;
}

export interface FindOwnMessage {
  /** A channel id (conversations.history does not take names). */
  channel: string;
  /** Look in this thread's replies instead of the channel. */
  threadTs?: string;
  /** The earliest time (ms) the message can have been posted; read from a minute before (clock skew). */
  since: number;
  match(metadata: MessageMetadata): boolean;
}

const SKEW_MS = 60_000;
const MAX_PAGES = 5;

/**
 * Finds a message the bot posted, by the metadata it tagged it with, in the channel history
 * (or a thread) since a given time: how a retry tells that a post whose reply was lost (a
 * crash, a timeout) is in Slack after all. Needs channels:history. Slack errors are thrown.
 */
export async function findOwnMessage(client: webApi.WebClient, query: FindOwnMessage): Promise<{ channel: string; ts: string } | null> {
  const oldest = (Math.max(0, query.since - SKEW_MS) / 1000).toFixed(6);
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const args = { channel: query.channel, oldest, include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) };
    const reply = query.threadTs
      ? await client.conversations.replies({ ...args, ts: query.threadTs })
      : await client.conversations.history(args);
    const found = (reply.messages ?? []).find((m) => m.metadata && query.match(m.metadata as MessageMetadata));
    if (found?.ts) return { channel: query.channel, ts: found.ts };
    cursor = reply.response_metadata?.next_cursor || undefined;
    if (!cursor) return null;
  }
  return null;
}

/** Slack channel ids: C… (public), G… (private, legacy), D… (direct). Names start with #, or are bare words. */
export function isChannelId(channel: string): boolean {
  return /^[CGD][A-Z0-9]{6,}$/.test(channel);
}
