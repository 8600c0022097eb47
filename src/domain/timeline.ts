/** One entry of an incident's append-only timeline: who did what, when, with details. */
export interface TimelineEventInput {
  at: number;
  /** Slack user id, or "bot", or "alert:<source>". */
  actor: string;
  /** Machine-readable kind: opened, acknowledged, status_update, severity, note, resolved, ... */
  kind: string;
  /** Human-readable line as shown in Slack and in the report. */
  text: string;
  details?: Record<string, unknown>;
}

export interface TimelineEvent extends TimelineEventInput {
  /** Redis stream entry id: orders events and makes each addressable. */
  id: string;
}
