import type { Incident } from '../../domain/incident';
import type { TimelineEventInput } from '../../domain/timeline';

export interface OpenOptions {
  /** Create a dedicated chat channel for this incident. */
  createChannel?: boolean;
  /** Retries and double submits with the same key create nothing new. */
  idempotencyKey?: string;
}

/**
 * Something that reacts to incidents after they are stored (Slack announcement, GitHub
 * issue, pager, SLA timers). A returned string is a notice for the person who acted,
 * e.g. "the announcement could not be posted". Observers never undo a stored change.
 */
export interface IncidentObserver {
  readonly name: string;
  opened?(incident: Incident, options: OpenOptions): Promise<string | void>;
  changed?(incident: Incident, events: TimelineEventInput[], previous: Incident): Promise<string | void>;
}
