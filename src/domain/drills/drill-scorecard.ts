import type { Incident } from '../incident';
import { gateFacts } from '../incident';
import type { SlaPolicy } from '../sla-policy';
import type { TimelineEvent } from '../timeline';

/** One line of the scorecard: how long a step took in drill time, and the target when there is one. */
export interface ScorecardStep {
  name: 'acknowledge' | 'confirm_severity' | 'approve_rollback' | 'resolve';
  label: string;
  /** Drill time from opening (wall time × speed); null when the step never happened. */
  tookMs: number | null;
  targetMs: number | null;
  met: boolean | null;
}

export interface DrillScorecard {
  incidentId: string;
  scenario: string;
  severity: Incident['severity'];
  speed: number;
  steps: ScorecardStep[];
  /** The longest stretch without a status update while unresolved, against the update cadence. */
  updates: { longestGapMs: number; targetMs: number; met: boolean };
  met: number;
  missed: number;
}

/**
 * The drill's scorecard, judged against the severity table in drill time: a drill played at
 * speed 60 that was acknowledged after 10 s of wall time took 10 minutes of drill time.
 * 1. Acknowledge: against the first-response target.
 * 2. Confirm severity, approve the rollback: timed, no target of their own.
 * 3. Resolve: against the resolve-within target.
 * 4. Status updates: the longest gap between updates (from opening) against the update cadence.
 */
export function drillScorecard(incident: Incident, timeline: readonly TimelineEvent[], policy: SlaPolicy, speed: number): DrillScorecard {
  const targets = policy[incident.severity];
  const since = (at: number | null | undefined) => (at === null || at === undefined ? null : Math.max(0, at - incident.createdAt) * speed);
  const judged = (tookMs: number | null, targetMs: number | null) => (targetMs === null ? null : tookMs !== null && tookMs <= targetMs);
  const step = (name: ScorecardStep['name'], label: string, tookMs: number | null, targetMs: number | null): ScorecardStep => ({
    name,
    label,
    tookMs,
    targetMs,
    met: judged(tookMs, targetMs),
  });

  const steps = [
    step('acknowledge', 'Time to acknowledge', since(incident.acknowledgedAt), targets.firstResponseMs),
    step('confirm_severity', 'Time to confirmed severity', since(incident.severityConfirmed?.at), null),
    step('approve_rollback', 'Time to rollback approval', since(gateFacts(incident).decisionRecordedAt), null),
    step('resolve', 'Time to resolve', since(incident.resolvedAt), targets.resolveWithinMs),
  ];

  const end = incident.resolvedAt ?? incident.closedAt ?? Math.max(incident.createdAt, ...timeline.map((e) => e.at));
  const updates = timeline.filter((e) => e.kind === 'status_update' && e.at <= end).map((e) => e.at);
  let longestGap = 0;
  let previous = incident.createdAt;
  for (const at of [...updates, end]) {
    longestGap = Math.max(longestGap, at - previous);
    previous = at;
  }
  const updateCadence = {
    longestGapMs: longestGap * speed,
    targetMs: targets.updateEveryMs,
    met: longestGap * speed <= targets.updateEveryMs,
  };

  const verdicts = [...steps.map((s) => s.met), updateCadence.met].filter((m): m is boolean => m !== null);
  return {
    incidentId: incident.id,
    scenario: incident.drill?.scenario ?? '?',
    severity: incident.severity,
    speed,
    steps,
    updates: updateCadence,
    met: verdicts.filter(Boolean).length,
    missed: verdicts.filter((m) => !m).length,
  };
}
