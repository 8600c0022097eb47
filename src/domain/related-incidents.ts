import { formatDuration } from './duration';
import { emptyAlerts } from './record-alert-state';
import { resolve, type Change, type Incident, type IncidentAlerts, type RelatedIncident } from './incident';
import { isOpenStatus } from './lifecycle';
import { overrideRecovery } from './paper-trail/override-recovery';
import { phrase, user } from './phrase';
import { refuse } from './result';

/** A person's id, or `alert:<source>`: who opened an incident, in the words the offer uses. */
export function openerKind(openedBy: string): RelatedIncident['openedBy'] {
  return openedBy.startsWith('alert:') ? 'alert' : 'person';
}

/** "opened by a person 2 min ago" */
export function describeRelated(related: RelatedIncident, now: number): string {
  return `opened by ${related.openedBy === 'person' ? 'a person' : 'an alert'} ${sinceText(related.openedAt, now)}`;
}

function sinceText(at: number, now: number): string {
  const ms = Math.max(0, now - at);
  return ms < 60_000 ? 'just now' : ms < 3_600_000 ? `${Math.floor(ms / 60_000)} min ago` : `${formatDuration(ms)} ago`;
}

/** Offers a merge into a recent incident of the same service (shown on the announcement). */
export function offerRelated(incident: Incident, related: RelatedIncident, now: number): Change {
  if (!isOpenStatus(incident.status)) return refuse('related.not_open', `${incident.id} is ${incident.status}.`);
  if (incident.related?.incidentId === related.incidentId) return refuse('related.unchanged', 'Already offered.');
  return {
    ok: true,
    incident: { ...incident, related },
    events: [
      {
        at: now,
        actor: 'bot',
        kind: 'related_offered',
        text: `Possibly related to ${related.incidentId} (${describeRelated(related, now)}).`,
        details: { related: related.incidentId },
      },
    ],
  };
}

/**
 * An alert group joins a person's incident instead of opening its own (`alerts.related.mode:
 * join`). An incident follows one alert group: one that already follows another is refused.
 */
export function joinAlertGroup(incident: Incident, groupKey: string, alertTitle: string, actor: string, now: number): Change {
  if (!isOpenStatus(incident.status)) return refuse('related.not_open', `${incident.id} is ${incident.status}.`);
  if (incident.alerts?.groupKey === groupKey) return refuse('related.unchanged', 'The group already counts here.');
  if (incident.alerts) return refuse('related.has_alerts', `${incident.id} already follows another alert group.`);
  return {
    ok: true,
    incident: { ...incident, alerts: emptyAlerts(groupKey) },
    events: [
      {
        at: now,
        actor,
        kind: 'alerts_joined',
        text: `Alerts joined this incident (same service; it was opened by a person ${sinceText(incident.createdAt, now)}): ${alertTitle}`,
        details: { groupKey },
      },
    ],
  };
}

/**
 * The duplicate side of a merge: resolved as merged into `targetId`, by the person who clicked.
 * It was not recovered, it was folded into another incident: gate 3 is overridden with that
 * reason, on the record. A second click meets `mergedInto` and is refused.
 */
export function mergeInto(duplicate: Incident, targetId: string, by: string, now: number): Change {
  if (duplicate.mergedInto)
    return refuse('related.already_merged', `${duplicate.id} was already merged into ${duplicate.mergedInto}; nothing was done.`);
  if (!isOpenStatus(duplicate.status))
    return refuse('related.not_open', `${duplicate.id} is already ${duplicate.status}; nothing was merged.`);
  const overridden = overrideRecovery(duplicate, by, `merged into ${targetId}`, now);
  if (!overridden.ok) return overridden;
  const resolved = resolve(overridden.incident, by, now, phrase`Merged into ${targetId} by ${user(by)}.`);
  if (!resolved.ok) return resolved;
  return {
    ok: true,
    incident: { ...resolved.incident, mergedInto: targetId },
    events: [
      { at: now, actor: by, kind: 'merged_into', text: phrase`Merged into ${targetId} by ${user(by)}.`, details: { target: targetId } },
      ...overridden.events,
      ...resolved.events,
    ],
  };
}

/** The target side of a merge: the duplicate is on its timeline, and its alert group (if any) counts here now. */
export function takeMerged(target: Incident, duplicate: Incident, by: string, now: number): Change {
  if (!isOpenStatus(target.status))
    return refuse('related.target_not_open', `${target.id} is ${target.status}; reopen it or resolve ${duplicate.id} on its own.`);
  const group = duplicate.alerts;
  let alerts: IncidentAlerts | null | undefined = target.alerts;
  if (group) {
    if (target.alerts && target.alerts.groupKey !== group.groupKey)
      return refuse('related.has_alerts', `${target.id} already follows another alert group; ${duplicate.id} was left as it is.`);
    alerts = { ...group };
  }
  const counted = group ? ` Its alerts (${group.firing} firing, ${group.resolved} resolved) count here now.` : '';
  return {
    ok: true,
    incident: { ...target, alerts },
    events: [
      {
        at: now,
        actor: by,
        kind: 'merged_from',
        text: phrase`${duplicate.id} (${duplicate.title}) merged into this incident by ${user(by)}.${counted}`,
        details: { duplicate: duplicate.id, ...(group ? { groupKey: group.groupKey } : {}) },
      },
    ],
  };
}
