import type { Severity } from '../severity';

/** The clocks an incident runs on (the response plan's targets, the SLA table in the README). */
export type SlaTimerKind =
  | 'first_response_breach'
  | 'update_reminder'
  | 'resolution_warning'
  | 'resolution_breach'
  | 'escalation'
  | 'monitoring_end'
  | 'report_missing';

export interface SlaTimerPayload {
  incidentId: string;
  /** The severity the timer was planned for; a stale timer from before a severity change does not apply. */
  severity: Severity;
  /** update_reminder: the update (or opening) it counts from; a later update makes it stale. */
  since?: number;
  /** escalation: 1 pages on-call, 2 and 3 come from the policy. */
  level?: number;
  /** monitoring_end, report_missing: the resolution they follow; a reopen makes them stale. */
  resolvedAt?: number;
}

/** A timer that should exist; `key` starts with "<incidentId>:" and changes whenever its meaning does. */
export interface SlaTimer {
  key: string;
  kind: SlaTimerKind;
  dueAt: number;
  payload: SlaTimerPayload;
}

export interface SlaPlanOptions {
  /** Resolution warning lead: the larger of a fixed time and a fraction of the target (defaults 10 min, 10%). */
  resolutionWarningBeforeMs?: number;
  resolutionWarningFraction?: number;
  /** Remind that the incident report is missing this long after resolve (default 2 days). */
  reportMissingAfterMs?: number;
}

export const DEFAULT_SLA_PLAN_OPTIONS: Required<SlaPlanOptions> = {
  resolutionWarningBeforeMs: 10 * 60_000,
  resolutionWarningFraction: 0.1,
  reportMissingAfterMs: 2 * 86_400_000,
};
