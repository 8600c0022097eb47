import { createHash } from 'node:crypto';
import type { CorrelateConfig } from '../../config/correlate-schema';
import type { Change, Incident } from '../../domain/incident';
import { refuse, type Refusal } from '../../domain/result';
import type { TimelineEventInput } from '../../domain/timeline';
import { isOpenStatus } from '../../domain/lifecycle';
import { emptyAlerts, recordAlertState } from '../../domain/record-alert-state';
import type { Severity } from '../../domain/severity';
import { mergeIntoStorm, recordStormChild, stormReason, stormTitle, type IncidentStorm } from '../../domain/storm/alert-storm';
import type { Logger } from '../../logger';
import type { ApplyOutcome, IncidentService } from '../incident-service';
import type { StormAlertState, StormSighting, StormWindow } from '../ports/storm-window';

/** A new alert group about to open an incident, as the intake knows it. */
export interface StormCandidate {
  groupKey: string;
  generation: number;
  /** The group's alert name (label `alertname`) or its first alert's title. */
  name: string;
  labels: Record<string, string>;
  severity: Severity;
  /** The alert source (`alertmanager` …): the parent is opened in its name. */
  source: string;
}

interface Batched {
  change: (incident: Incident, now: number) => Change;
  resolve(outcome: ApplyOutcome): void;
  reject(error: unknown): void;
}

export interface ChildCount {
  firing: number;
  resolved: number;
  changed: number;
}

/**
 * Alert storms: when `threshold` new alert groups would open incidents within `window`
 * (sharing the values of the `by` labels), they become children of one parent incident
 * instead: one announcement, one page. Groups that opened incidents before the storm was
 * recognised are folded in: their incident is resolved as merged into the parent, their
 * alerts counted there. The window is shared through Redis, so replicas see one storm.
 */
export class StormCorrelator {
  // Writes to one parent from this replica go one at a time: 200 groups racing one
  // compare-and-set would mostly retry. Other replicas still race it, safely.
  private readonly lanes = new Map<string, Promise<unknown>>();
  private readonly batches = new Map<string, Batched[]>();

  constructor(
    private readonly deps: {
      service: IncidentService;
      window: StormWindow;
      alerts: StormAlertState;
      config: CorrelateConfig;
      log: Logger;
    },
  ) {}

  /** The storm a group belongs to: the values of its `by` labels (missing labels count as empty). */
  scopeOf(labels: Record<string, string>): { scope: string; by: Record<string, string> } {
    const by = Object.fromEntries(this.deps.config.by.map((name) => [name, labels[name] ?? '']));
    if (!this.deps.config.by.length) return { scope: 'all', by };
    return { scope: createHash('sha256').update(JSON.stringify(by)).digest('hex').slice(0, 24), by };
  }

  /** Where a child's own counts are kept (beside the parent's, which count every child's alerts). */
  static childCountsId(parentId: string, groupKey: string): string {
    return `${parentId}~${createHash('sha256').update(groupKey).digest('hex').slice(0, 20)}`;
  }

  /**
   * Applies a change to a storm's parent, batched: changes that arrive while a write to the
   * same parent is under way go together in the next write (one compare-and-set, one redraw),
   * each judged in turn. Resolves with that change's own refusal, or the write's outcome.
   */
  applyToParent(parentId: string, change: (incident: Incident, now: number) => Change): Promise<ApplyOutcome> {
    return new Promise<ApplyOutcome>((resolve, reject) => {
      const queued = this.batches.get(parentId);
      if (queued) return void queued.push({ change, resolve, reject });
      this.batches.set(parentId, [{ change, resolve, reject }]);
      void this.inLane(parentId, () => this.flush(parentId));
    });
  }

  private async flush(parentId: string): Promise<void> {
    const items = this.batches.get(parentId) ?? [];
    this.batches.delete(parentId);
    let refusals: (Refusal | null)[] = [];
    try {
      const outcome = await this.deps.service.apply(parentId, (current, now) => {
        refusals = [];
        let next = current;
        const events: TimelineEventInput[] = [];
        for (const item of items) {
          const result = item.change(next, now);
          refusals.push(result.ok ? null : result);
          if (!result.ok) continue;
          next = result.incident;
          events.push(...result.events);
        }
        if (next === current && !events.length) return refusals.find((r) => r !== null) ?? refuse('alerts.unchanged', 'Nothing new.');
        return { ok: true, incident: next, events };
      });
      for (const [i, item] of items.entries()) item.resolve(refusals[i] ?? outcome);
    } catch (error) {
      for (const item of items) item.reject(error);
    }
  }

  /** Runs writes to one parent one after another on this replica. */
  inLane<T>(parentId: string, fn: () => Promise<T>): Promise<T> {
    const before = this.lanes.get(parentId) ?? Promise.resolve();
    const run = before.then(fn, fn);
    const settled = run.catch(() => undefined);
    this.lanes.set(parentId, settled);
    void settled.then(() => {
      if (this.lanes.get(parentId) === settled) this.lanes.delete(parentId);
    });
    return run;
  }

  /**
   * A new group would open an incident. Null: it is alone (open one as usual). Otherwise the
   * storm's parent, which the group is now bound to ('moved' when the group moved on meanwhile).
   */
  async admit(candidate: StormCandidate): Promise<{ parent: Incident; opened: boolean } | 'moved' | null> {
    const { window, config, service, alerts } = this.deps;
    const { scope, by } = this.scopeOf(candidate.labels);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const sighting = await window.admit(scope, candidate.groupKey, service.now(), config.windowMs, config.threshold);
      if (!sighting) return null;
      const found = await this.parentOf(scope, by, sighting, candidate);
      if (!found) {
        // Its parent was resolved: that storm is over, and this group counts afresh.
        await window.end(scope, sighting.epoch);
        continue;
      }
      if (!(await alerts.bind(candidate.groupKey, candidate.generation, found.parent.id))) return 'moved';
      if (sighting.earlier.length) await this.foldEarlier(found.parent, sighting.earlier);
      return found;
    }
    return null;
  }

  /**
   * After a group opened its own incident: a storm may have counted it while it did (it was in
   * the window when the threshold was reached). Then it is folded now; returns the parent.
   */
  async settle(candidate: StormCandidate, incident: Incident): Promise<Incident | null> {
    const { scope, by } = this.scopeOf(candidate.labels);
    const sighting = await this.deps.window.foldedInto(scope, candidate.groupKey);
    if (!sighting) return null;
    const found = await this.parentOf(scope, by, sighting, candidate);
    if (!found) return null;
    return (await this.fold(found.parent, candidate.groupKey, incident.id)) ? found.parent : null;
  }

  /** Counts a delivery on the child's own state (its line in the parent's list). */
  async countChild(parentId: string, groupKey: string, values: { fingerprint: string; value: string }[]): Promise<ChildCount> {
    return this.deps.alerts.record(StormCorrelator.childCountsId(parentId, groupKey), values);
  }

  /** The storm's open parent: read, or opened by whoever gets here first (one per storm, by its key). */
  private async parentOf(
    scope: string,
    by: Record<string, string>,
    sighting: StormSighting,
    candidate: StormCandidate,
  ): Promise<{ parent: Incident; opened: boolean } | null> {
    const { service, window, config } = this.deps;
    let opened = false;
    let parent = sighting.parentId ? await service.get(sighting.parentId) : null;
    if (!parent) {
      const storm: IncidentStorm = { by, windowMs: config.windowMs, threshold: config.threshold, children: [] };
      const result = await service.open(
        {
          // Named for the groups that made it a storm, not 0: the channel name and first draw use it.
          title: stormTitle(storm, config.threshold),
          summary:
            'Many alert groups started firing together. They are counted here as one incident; `/incident split` takes one out into its own incident.',
          severity: candidate.severity,
          severityReason: stormReason(storm),
          service: null,
          openedBy: `alert:${candidate.source}`,
          source: candidate.source,
          alerts: emptyAlerts(`storm:${scope}:${sighting.startedAt}`),
          storm,
        },
        // Every replica that sees this storm asks for the same parent.
        { idempotencyKey: `storm:${scope}:${sighting.epoch}:${sighting.startedAt}` },
      );
      opened = result.created;
      const winner = await window.setParent(scope, sighting.epoch, result.incident.id);
      parent = winner === result.incident.id ? result.incident : await service.get(winner);
      if (result.created) this.deps.log.info({ incidentId: result.incident.id, scope }, 'alert storm recognised; parent incident opened');
    }
    return parent && isOpenStatus(parent.status) ? { parent, opened } : null;
  }

  private async foldEarlier(parent: Incident, groupKeys: string[]): Promise<void> {
    for (const groupKey of groupKeys) {
      const group = await this.deps.alerts.group(groupKey);
      // Not bound yet: that group is still opening its incident and folds itself (settle).
      if (!group.incidentId || group.incidentId === parent.id) continue;
      await this.fold(parent, groupKey, group.incidentId).catch((error: unknown) =>
        this.deps.log.warn({ err: error, incidentId: group.incidentId, parent: parent.id }, 'could not fold an incident into its storm'),
      );
    }
  }

  /**
   * Folds an incident a group opened alone into the storm: the group counts on the parent from
   * now on, its alerts so far are copied there, and the incident is resolved as merged (its
   * announcement says where it went). Every step is safe to repeat.
   */
  private async fold(parent: Incident, groupKey: string, incidentId: string): Promise<boolean> {
    const { service, alerts } = this.deps;
    const child = await service.get(incidentId);
    if (!child || child.storm || !isOpenStatus(child.status)) return false;
    if (!(await alerts.rebind(groupKey, incidentId, parent.id))) return false;
    const states = await alerts.states(incidentId);
    const total = await alerts.record(parent.id, states);
    const own = await this.countChild(parent.id, groupKey, states);
    const name = child.signals?.carried?.labels?.alertname ?? child.title;
    await this.applyToParent(parent.id, (current, now) =>
      recordStormChild(
        current,
        { groupKey, name, severity: child.severity, firing: own.firing, resolved: own.resolved, foldedFrom: incidentId },
        'bot',
        now,
        total.changed > 0
          ? recordAlertState(
              current,
              {
                groupKey,
                snapshot: { firing: total.firing, resolved: total.resolved, seq: total.seq },
                truncated: 0,
                decision: null,
                actor: 'bot',
                flapWindowMs: 0,
                changeText: `${states.length} alert(s) of ${incidentId} now counted here`,
              },
              now,
            )
          : null,
      ),
    );
    const merged = await service.apply(incidentId, (current, now) => mergeIntoStorm(current, parent.id, now));
    if (merged.ok) this.deps.log.info({ incidentId, parent: parent.id }, 'incident folded into its alert storm');
    return true;
  }
}
