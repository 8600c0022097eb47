import type { Change, Incident } from '../../domain/incident';
import type { Refusal } from '../../domain/result';
import type { TimelineEvent, TimelineEventInput } from '../../domain/timeline';

/** Where a walk over the open incidents stopped (their createdAt score and id). */
export interface OpenCursor {
  score: number;
  id: string;
}

export type UpdateOutcome =
  | { ok: true; incident: Incident; events: TimelineEventInput[] }
  | Refusal
  | { ok: false; code: 'incident.not_found'; reason: string };

/**
 * Incidents, their indexes, timelines and channel links (RedisIncidentStore implements it).
 * A change and its timeline entries are written together or not at all; `update` re-reads and
 * re-applies the pure change when someone else wrote in between (compare-and-set).
 */
export interface IncidentStore {
  /** Creates the incident (id assigned by the store) unless `idempotencyKey` was seen; a repeat returns the first with `created: false`. */
  create(
    build: { incident: Incident; events: TimelineEventInput[] },
    idempotencyKey?: string,
  ): Promise<{ created: boolean; incident: Incident }>;
  get(id: string): Promise<Incident | null>;
  /** The incident and its whole timeline as of one moment (one read), or null. */
  getWithTimeline(id: string): Promise<{ incident: Incident; timeline: TimelineEvent[] } | null>;
  /** `known`: the incident as the caller just read it; a stale copy only costs a retry. */
  update(id: string, change: (incident: Incident) => Change, options?: { known?: Incident; maxAttempts?: number }): Promise<UpdateOutcome>;
  /** Appends timeline entries that do not change the incident itself. */
  appendTimeline(id: string, events: TimelineEventInput[]): Promise<void>;
  /** Whether an entry written under a run-once effect key (details.effect) is on the timeline since `sinceMs`. */
  timelineHasEffect(id: string, effectKey: string, sinceMs: number): Promise<boolean>;
  /** Oldest first; `count` reads only that many. */
  timeline(id: string, count?: number): Promise<TimelineEvent[]>;
  /** Open incidents, oldest first; `limit` reads only that many. */
  listOpen(limit?: number): Promise<Incident[]>;
  /** One page of open incidents, most severe first, then oldest first (openOrderScore); reads only the page. */
  listOpenBySeverity(limit: number, offset?: number): Promise<Incident[]>;
  /** How many incidents are open. */
  countOpen(): Promise<number>;
  /** Up to `limit` open incidents after `cursor` (null: from the oldest), oldest first, and where to go on (null at the end). */
  openAfter(cursor: OpenCursor | null, limit: number): Promise<{ incidents: Incident[]; next: OpenCursor | null }>;
  /** Makes the severity order hold exactly the open incidents (at start: data from older versions). */
  reindexOpen(pageSize?: number): Promise<{ placed: number; removed: number }>;
  /** The last `count` timeline entries, oldest first, and how many there are in all. */
  timelineTail(id: string, count: number): Promise<{ entries: TimelineEvent[]; total: number }>;
  /** Timeline entries after stream id `cursor` (all for null), oldest first. */
  timelineAfter(id: string, cursor: string | null): Promise<TimelineEvent[]>;
  /** Every incident, newest first. */
  listAll(limit?: number, offset?: number): Promise<Incident[]>;
  /** A dedicated channel maps back to its incident, so commands typed there imply it. */
  linkChannel(channelId: string, incidentId: string): Promise<void>;
  incidentForChannel(channelId: string): Promise<string | null>;
}
