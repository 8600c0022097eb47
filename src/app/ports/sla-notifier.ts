import type { Incident } from '../../domain/incident';

/**
 * What an SLA timer tells people, as data; the Slack adapter draws it (views/sla-notice-message.ts).
 * `lateByMs` is set only when the timer fired late (it came due while every bot was down).
 */
export type SlaNotice = { incident: Incident; now: number; lateByMs: number | null; timerKey: string } & (
  | { kind: 'update_due'; everyMs: number; since: number; lastUpdateBy: string | null }
  | { kind: 'first_response_breach'; targetMs: number }
  | { kind: 'resolution_warning'; dueAt: number; targetMs: number }
  | { kind: 'resolution_breach'; targetMs: number; overdueMs: number }
  | { kind: 'escalation'; level: number; afterMs: number; mentions: string[] }
  | { kind: 'monitoring_end'; resolvedAt: number }
  | { kind: 'report_missing'; resolvedAt: number }
);

/** Where a notice goes: the incident's own place (channel, or the announcement's thread), or that plus the response channel. */
export type SlaAudience = 'incident' | 'incident_and_response';

export interface SlaTarget {
  channel: string;
  threadTs?: string;
}

/** The Slack side of the SLA clocks; postTo throws when Slack refuses, so the timer retries. */
export interface SlaNotifier {
  targets(incident: Incident, audience: SlaAudience): SlaTarget[];
  /** Posts the notice tagged with effectKey (in the message metadata), so wasPosted can find it. */
  postTo(target: SlaTarget, notice: SlaNotice, effectKey: string): Promise<void>;
  /** Whether a notice tagged effectKey was posted to target since startedAt; throws when it cannot tell. */
  wasPosted(target: SlaTarget, effectKey: string, startedAt: number): Promise<boolean>;
  /** Redraws the announcement (breach shown, on-call changed); never throws. */
  refresh(incidentId: string): Promise<void>;
}
