import { gateFacts, type Incident } from '../incident';
import { isOpenStatus } from '../lifecycle';
import type { SlaPolicy } from '../sla-policy';
import { DEFAULT_SLA_PLAN_OPTIONS, type SlaPlanOptions, type SlaTimer, type SlaTimerKind, type SlaTimerPayload } from './sla-timer';

/**
 * The timers an incident should have at `now`, from its severity and timestamps only.
 * Past-due entries are included on purpose: the engine remembers fired keys (no refire),
 * and one that never fired (every bot was down) fires late, once.
 * 1. First-response breach and L1 page (on-call) at opening + firstResponse, while unacknowledged and open.
 * 2. Status-update reminders every updateEvery from the last update (or opening) while unresolved:
 *    the latest one already due and the next one; a new update changes `since`, so new keys.
 * 3. Resolution warning (the larger of 10 min / 10% before) and breach at opening + resolveWithin, while unresolved.
 * 4. L2/L3 escalations at opening + the policy's delays, while unresolved.
 * 5. Monitoring end at resolve + monitorAfter, and a report-missing reminder unless the report exists, while resolved (not closed).
 * Severity is in every key, so a severity change re-plans every clock.
 */
export function planTimers(incident: Incident, policy: SlaPolicy, now: number, options: SlaPlanOptions = {}): SlaTimer[] {
  const opts = { ...DEFAULT_SLA_PLAN_OPTIONS, ...options };
  const targets = policy[incident.severity];
  const timers: SlaTimer[] = [];
  const add = (kind: SlaTimerKind, dueAt: number, extra: Omit<SlaTimerPayload, 'incidentId' | 'severity'> = {}, tag = '') => {
    const key = [incident.id, kind, tag, incident.severity, String(dueAt)].filter(Boolean).join(':');
    timers.push({ key, kind, dueAt, payload: { incidentId: incident.id, severity: incident.severity, ...extra } });
  };
  const open = isOpenStatus(incident.status);
  const unresolved = incident.resolvedAt === null && incident.status !== 'closed';

  // 1
  if (open && incident.acknowledgedAt === null) {
    const breachAt = incident.createdAt + targets.firstResponseMs;
    add('first_response_breach', breachAt);
    add('escalation', breachAt, { level: 1 }, 'L1');
  }
  if (unresolved) {
    // 2
    const since = incident.lastUpdateAt ?? incident.createdAt;
    const passed = Math.floor((now - since) / targets.updateEveryMs);
    for (const k of passed >= 1 ? [passed, passed + 1] : [1]) {
      add('update_reminder', since + k * targets.updateEveryMs, { since }, `u${since}`);
    }
    // 3
    const resolveBy = incident.createdAt + targets.resolveWithinMs;
    const lead = Math.min(
      Math.max(opts.resolutionWarningBeforeMs, Math.round(targets.resolveWithinMs * opts.resolutionWarningFraction)),
      Math.floor(targets.resolveWithinMs / 2),
    );
    add('resolution_warning', resolveBy - lead);
    add('resolution_breach', resolveBy);
    // 4
    for (const { level, afterMs } of targets.escalations) add('escalation', incident.createdAt + afterMs, { level }, `L${level}`);
  }
  // 5
  if (incident.status === 'resolved' && incident.resolvedAt !== null) {
    const resolvedAt = incident.resolvedAt;
    add('monitoring_end', resolvedAt + targets.monitorAfterMs, { resolvedAt });
    if (gateFacts(incident).reportWrittenAt === null) add('report_missing', resolvedAt + opts.reportMissingAfterMs, { resolvedAt });
  }
  return timers.sort((a, b) => a.dueAt - b.dueAt || a.key.localeCompare(b.key));
}
