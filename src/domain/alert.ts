import type { Signals } from './classifier/signals';
import type { DrillMark } from './drills/drill-mark';

/**
 * One alert, whatever sent it. Units follow `Signals`: rates are PERCENT (0..100),
 * latencies milliseconds. Times are epoch milliseconds. `Source` is the alert source's
 * name; the inbound adapters narrow it to the registered names.
 */
export interface NormalizedAlert<Source extends string = string> {
  source: Source;
  /** The incident grouping key: Alertmanager groupKey, `pagerduty:<incident id>`, `generic:<dedup_key>`. */
  groupKey: string;
  /** This alert's identity within the group (Alertmanager fingerprint, PagerDuty incident id, dedup_key). */
  fingerprint: string;
  status: 'firing' | 'resolved';
  service: string | null;
  title: string;
  description: string;
  labels: Record<string, string>;
  signals: Signals;
  startsAt: number | null;
  endsAt: number | null;
  /**
   * When, by the sender's clock, this alert entered its status: a firing's start, a
   * resolution's end, a PagerDuty event's `occurred_at`. Null when the sender gives no time
   * (then arrival order decides). See docs/alerts-order.md.
   */
  changedAt: number | null;
  links: { title: string; url: string }[];
  /** The sender's own severity word (Alertmanager `severity` label, PagerDuty priority/urgency, generic hint). */
  severityLabel: string | null;
  /** The sender's delivery id, for dropping duplicate deliveries (PagerDuty event id). */
  deliveryId: string | null;
  /** PagerDuty only: the incident's own status, so "acknowledged" is not lost in `firing`. */
  pdStatus?: 'triggered' | 'acknowledged' | 'resolved';
}

/** Everything one webhook request carried. */
export interface AlertBatch<Source extends string = string> {
  source: Source;
  alerts: NormalizedAlert<Source>[];
  /** Alerts the sender dropped before sending (Alertmanager `max_alerts`); they exist but we cannot see them. */
  truncatedAlerts: number;
  receiver?: string;
  /**
   * The sender runs its own incident (PagerDuty): its "resolved" is recorded on ours, never
   * acted on, and an echo of our own resolution is noted and dropped. Named for the messages.
   */
  upstream?: { name: string };
  /** Alerts played by a drill: the incident they open is a drill (see DrillMark). */
  drill?: DrillMark;
}
