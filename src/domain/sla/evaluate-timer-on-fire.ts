import { gateFacts, type Incident } from '../incident';
import { isOpenStatus } from '../lifecycle';
import type { SlaTimer } from './sla-timer';

export type TimerVerdict = { apply: true; overdueMs: number } | { apply: false; reason: string };

/**
 * Belt and braces against a stale timer (a cancel lost in a crash, a race with an update):
 * checked against the incident as it is when the timer fires, before any effect.
 * 1. The incident must still exist under that id and have the severity the timer was planned for.
 * 2. First-response breach and the L1 page: only while open and unacknowledged.
 * 3. Update reminder: only while unresolved and with no update since it was planned; and only the
 *    latest one due (given the cadence): after downtime the missed reminders collapse into one.
 * 4. Resolution warning/breach and L2/L3 escalations: only while unresolved.
 * 5. Monitoring end and report missing: only while still resolved by the same resolution (not reopened, not closed); report missing only while there is no report.
 */
export function evaluateTimerOnFire(
  incident: Incident | null,
  timer: Pick<SlaTimer, 'kind' | 'dueAt' | 'payload'>,
  now: number,
  /** The incident's current update cadence; without it rule 3's "latest one due" is not checked. */
  policy?: { updateEveryMs: number },
): TimerVerdict {
  const stale = (reason: string): TimerVerdict => ({ apply: false, reason });
  // 1
  if (!incident || incident.id !== timer.payload.incidentId) return stale('incident not found');
  if (incident.severity !== timer.payload.severity) return stale(`severity changed to ${incident.severity}`);
  const unresolved = incident.resolvedAt === null && incident.status !== 'closed';
  switch (timer.kind) {
    case 'first_response_breach':
      if (!isOpenStatus(incident.status)) return stale(`incident is ${incident.status}`);
      if (incident.acknowledgedAt !== null) return stale('already acknowledged');
      break;
    case 'escalation':
      if (!unresolved) return stale(`incident is ${incident.status}`);
      if ((timer.payload.level ?? 1) <= 1 && incident.acknowledgedAt !== null) return stale('already acknowledged');
      break;
    case 'update_reminder':
      if (!unresolved) return stale(`incident is ${incident.status}`);
      if ((incident.lastUpdateAt ?? incident.createdAt) !== timer.payload.since) return stale('a status update was posted since');
      if (policy && timer.dueAt + policy.updateEveryMs <= now) return stale('a later reminder is already due');
      break;
    case 'resolution_warning':
    case 'resolution_breach':
      if (!unresolved) return stale(`incident is ${incident.status}`);
      break;
    case 'monitoring_end':
    case 'report_missing':
      if (incident.status !== 'resolved') return stale(`incident is ${incident.status}`);
      if (incident.resolvedAt !== timer.payload.resolvedAt) return stale('resolved again since');
      if (timer.kind === 'report_missing' && gateFacts(incident).reportWrittenAt !== null) return stale('the report was written');
      break;
  }
  return { apply: true, overdueMs: Math.max(0, now - timer.dueAt) };
}
