import type { Incident } from '../domain/incident';
import { isOpenStatus } from '../domain/lifecycle';
import { describeRelated, mergeInto, offerRelated, openerKind, takeMerged } from '../domain/related-incidents';
import { refuse, type Refusal } from '../domain/result';
import type { Logger } from '../logger';
import type { IncidentService } from './incident-service';
import type { IncidentObserver } from './ports/incident-observer';
import type { AlertStore } from './ports/alert-store';
import type { RecentIncidents } from './ports/recent-incidents';

export type RelatedMode = 'join' | 'offer' | 'off';

/**
 * Related incidents (`alerts.related`): an alert for a service a person opened an incident for
 * within the window joins it (`join`, through the alert intake) or is offered to merge into it
 * (`offer`); a person's `/incident open` is offered the alert-opened incident of the same service
 * (both modes). As an observer it remembers who opened what, and makes the offer once the new
 * incident is stored. The merge is a person's click: the duplicate is resolved as merged, the
 * target takes its alert group, both timelines say so; nothing is paged again.
 */
export class RelatedIncidents implements IncidentObserver {
  readonly name = 'related-incidents';

  constructor(
    private readonly deps: {
      service: IncidentService;
      recent: RecentIncidents;
      /** Hands a merged incident's alert group to the incident it was merged into. */
      alerts: Pick<AlertStore, 'moveState' | 'adopt'>;
      windowMs: number;
      mode: RelatedMode;
      log: Logger;
    },
  ) {}

  async opened(incident: Incident): Promise<string | void> {
    const { service, recent, windowMs, mode } = this.deps;
    if (mode === 'off' || incident.drill || !incident.service) return;
    const opener = openerKind(incident.openedBy);
    await recent.remember({ service: incident.service, opener, incidentId: incident.id, openedAt: incident.createdAt }, windowMs);
    const other = opener === 'person' ? 'alert' : 'person';
    const match = await this.recentOpen(incident.service, other, incident.createdAt, incident.id);
    if (!match) return;
    const related = { incidentId: match.id, openedBy: other, openedAt: match.createdAt } as const;
    const outcome = await service.apply(incident.id, (i, now) => offerRelated(i, related, now));
    if (!outcome.ok || opener !== 'person') return;
    return `Possibly related to ${match.id} (${describeRelated(related, service.now())}): *Merge into ${match.id}* on the announcement folds this incident into it.`;
  }

  /** `join` mode: the open incident a person opened for this service within the window, free to take an alert group. */
  async joinTarget(serviceName: string | null): Promise<Incident | null> {
    if (this.deps.mode !== 'join' || !serviceName) return null;
    const match = await this.recentOpen(serviceName, 'person', this.deps.service.now(), null);
    return match && !match.alerts ? match : null;
  }

  /**
   * Merges `duplicateId` into the incident its announcement offered. Exactly one click wins
   * (the duplicate's compare-and-set); a later one is told who merged it where.
   */
  async merge(duplicateId: string, by: string): Promise<{ ok: true; target: string } | Refusal> {
    const { service, alerts, log } = this.deps;
    const duplicate = await service.store.get(duplicateId);
    if (!duplicate) return refuse('incident.not_found', `No incident ${duplicateId}.`);
    if (duplicate.mergedInto)
      return refuse('related.already_merged', `${duplicate.id} was already merged into ${duplicate.mergedInto}; nothing was done.`);
    const targetId = duplicate.related?.incidentId;
    if (!targetId) return refuse('related.none', `${duplicate.id} has no related incident to merge into.`);
    const target = await service.store.get(targetId);
    if (!target) return refuse('incident.not_found', `No incident ${targetId}.`);
    // Checked before the duplicate is touched, so a refusal leaves both as they were.
    const check = takeMerged(target, duplicate, by, service.now());
    if (!check.ok) return check;
    const merged = await service.apply(duplicate.id, (i, now) => mergeInto(i, targetId, by, now));
    if (!merged.ok) return merged;
    const group = merged.incident.alerts;
    if (group) await alerts.moveState(duplicate.id, targetId);
    const taken = await service.apply(targetId, (i, now) => takeMerged(i, merged.incident, by, now));
    if (!taken.ok)
      log.warn({ duplicate: duplicate.id, target: targetId, code: taken.code }, 'merged incident resolved, but its target refused it');
    // The duplicate's resolution moved its group on; the target takes it back, so its next alerts count there.
    if (group && taken.ok) await alerts.adopt(group.groupKey, targetId);
    return { ok: true, target: targetId };
  }

  private async recentOpen(serviceName: string, opener: 'person' | 'alert', now: number, exclude: string | null): Promise<Incident | null> {
    const ids = await this.deps.recent.since(serviceName, opener, now - this.deps.windowMs);
    for (const id of ids) {
      if (id === exclude) continue;
      const incident = await this.deps.service.store.get(id);
      if (incident && isOpenStatus(incident.status) && !incident.mergedInto && !incident.drill) return incident;
    }
    return null;
  }
}
