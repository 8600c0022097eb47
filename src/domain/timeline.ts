import type { Phrase } from './phrase';

/** One entry of an incident's append-only timeline: who did what, when, with details. */
export interface TimelineEventInput {
  at: number;
  /** Slack user id, or "bot", or "alert:<source>". */
  actor: string;
  /** Machine-readable kind: opened, acknowledged, status_update, severity, note, resolved, ... */
  kind: string;
  /** What happened in words, with people and links as structured references (see phrase.ts). */
  text: Phrase;
  details?: Record<string, unknown>;
}

export interface TimelineEvent extends TimelineEventInput {
  /** Redis stream entry id: orders events and makes each addressable. */
  id: string;
}
