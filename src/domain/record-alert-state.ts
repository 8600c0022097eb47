import { formatDuration } from './duration';
import { changeSeverity, type Change, type Incident, type IncidentAlerts } from './incident';
import { isOpenStatus } from './lifecycle';
import { refuse } from './result';
import { isMoreSevere, type Severity } from './severity';
import type { TimelineEventInput } from './timeline';

export interface AlertStateUpdate {
  groupKey: string;
  /** Distinct alerts by state after this delivery, numbered so late writers lose to newer ones. */
  snapshot: { firing: number; resolved: number; seq: number };
  /** The sender's `truncatedAlerts` for this delivery. */
  truncated: number;
  /** The classifier's decision for this delivery's firing alerts, when they changed. */
  decision: { severity: Severity; explanation: string; autoRollbackRule?: string | null } | null;
  /** `alert:<source>`. */
  actor: string;
  flapWindowMs: number;
  /** One line on what changed ("2 alerts firing: HighErrorRate, …"), or null for none. */
  changeText: string | null;
  /** The sender itself resolved its incident (PagerDuty): recorded here, never looped back. */
  upstreamResolved?: string | null;
}

export function emptyAlerts(groupKey: string): IncidentAlerts {
  return { groupKey, firing: 0, resolved: 0, total: 0, allResolvedAt: null, potentialFalsePositive: false, truncated: 0, seq: 0 };
}

/**
 * Folds one alert delivery into an incident. Rules:
 * 1. only open incidents take alerts (a resolved one is a new incident's business);
 * 2. counts come from the newest snapshot only (seq), so concurrent deliveries cannot roll them back;
 * 3. severity is raised, never lowered: calming alerts leave lowering to a person;
 * 4. all alerts resolved is recorded and offered, never acted on: resolving is a human decision;
 * 5. all resolved within the flap window of opening marks a potential false positive.
 */
export function recordAlertState(incident: Incident, update: AlertStateUpdate, now: number): Change {
  if (!isOpenStatus(incident.status))
    return refuse('alerts.incident_not_open', `${incident.id} is ${incident.status}; alerts attach to open incidents only.`);
  const before = incident.alerts ?? emptyAlerts(update.groupKey);
  const after: IncidentAlerts = { ...before };
  const events: TimelineEventInput[] = [];
  const event = (kind: string, text: string, details?: Record<string, unknown>) =>
    events.push({ at: now, actor: update.actor, kind, text, ...(details ? { details } : {}) });

  if (update.snapshot.seq > before.seq) {
    const { firing, resolved, seq } = update.snapshot;
    Object.assign(after, { firing, resolved, total: firing + resolved, seq });
    if (update.changeText) event('alerts', update.changeText, { firing, resolved });
    if (firing === 0 && resolved > 0 && before.allResolvedAt === null) {
      after.allResolvedAt = now;
      event('alerts_resolved', update.upstreamResolved ?? 'All alerts resolved; the incident stays open until someone resolves it.', {
        resolved,
      });
      const openFor = now - incident.createdAt;
      if (openFor <= update.flapWindowMs && !before.potentialFalsePositive) {
        after.potentialFalsePositive = true;
        event(
          'potential_false_positive',
          `Potential false positive: every alert resolved ${formatDuration(openFor)} after opening (flap window ${formatDuration(update.flapWindowMs)}).`,
        );
      }
    } else if (firing > 0 && before.allResolvedAt !== null) {
      after.allResolvedAt = null;
      event('alerts_firing_again', `Alerts firing again (${firing}) after all had resolved.`, { firing });
    }
  }
  if (update.truncated > before.truncated) {
    after.truncated = update.truncated;
    event(
      'alerts_truncated',
      `The sender left ${update.truncated} alert(s) of this group out of its payload (truncatedAlerts); counts here miss them.`,
      { truncated: update.truncated },
    );
  }

  let next: Incident = { ...incident, alerts: after };
  if (update.decision && isMoreSevere(update.decision.severity, incident.severity)) {
    const raised = changeSeverity(next, update.decision.severity, update.actor, now, {
      confirmed: false,
      reason: update.decision.explanation,
    });
    if (raised.ok) {
      next = raised.incident;
      // A raise by an `auto_rollback` rule is marked so the rollback feature can act on it.
      const rule = update.decision.autoRollbackRule;
      events.push(...(rule ? raised.events.map((e) => ({ ...e, details: { ...e.details, autoRollback: rule } })) : raised.events));
    }
  }
  if (!events.length && JSON.stringify(after) === JSON.stringify(before))
    return refuse('alerts.unchanged', 'Nothing new in this delivery.');
  return { ok: true, incident: next, events };
}
