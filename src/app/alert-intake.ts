import { buildAlertContext, DEFAULT_CONTEXT_LABELS } from '../domain/alert-context';
import type { AlertBatch, NormalizedAlert } from '../domain/alert';
import { alertGroupId } from './alert-group-id';
import type { AlertRecord, AlertStore } from './ports/alert-store';
import { classifyGroup } from '../domain/classifier/classify-group';
import type { SeverityRules } from '../domain/classifier/rules-schema';
import type { Incident } from '../domain/incident';
import { isOpenStatus } from '../domain/lifecycle';
import { emptyAlerts, recordAlertState } from '../domain/record-alert-state';
import { joinAlertGroup } from '../domain/related-incidents';
import type { TimelineEventInput } from '../domain/timeline';
import { NO_INCIDENT_SIGNALS } from '../domain/signals/incident-signals';
import type { Logger } from '../logger';
import type { IncidentObserver } from './ports/incident-observer';
import type { IncidentService } from './incident-service';
import { recordStormChild } from '../domain/storm/alert-storm';
import type { StormCandidate, StormCorrelator } from './storm/storm-correlator';

export interface IntakeResult {
  /** `duplicate` when the delivery changed nothing anywhere (a repeat); the sender needs no retry either way. */
  outcome: 'accepted' | 'duplicate';
  /** Incidents the delivery's alerts are counted on. */
  incidents: string[];
  /** Of those, the ones this delivery opened. */
  opened: string[];
  accepted: number;
  /** Resolved alerts of groups with no open incident: there is nothing to attach them to. */
  unmatched: number;
  /** Alerts older than their alert's last recorded change (a late firing after its resolution): dropped. */
  stale: number;
}

interface GroupResult {
  incidentId: string | null;
  opened: boolean;
  changed: boolean;
  unmatched: number;
  stale?: number;
}

// A group whose incident ended while we were opening one is retried this many times.
const MAX_GROUP_ATTEMPTS = 3;

/**
 * Alerts into incidents: a firing alert opens an incident or joins the open incident of its
 * group; every alert is counted; repeats change nothing; severity only rises. As an observer
 * it moves a group on when its incident resolves, so the next firing opens a new incident.
 */
export class AlertIntake implements IncidentObserver {
  readonly name = 'alert-groups';

  constructor(
    private readonly deps: {
      service: IncidentService;
      alerts: AlertStore;
      rules: SeverityRules;
      flapWindowMs: number;
      /** Labels the label summary shows first (config `alerts.context_labels`). */
      contextLabels?: readonly string[];
      /** `alerts.related.mode: join`: where a group may join a person's incident instead of opening one. */
      related?: { joinTarget(service: string | null): Promise<Incident | null> };
      /** Storm correlation (`alerts.correlate`); absent when off. */
      storm?: StormCorrelator | null;
      log: Logger;
    },
  ) {}

  async receive(batch: AlertBatch): Promise<IntakeResult> {
    // A sender that names its deliveries (PagerDuty's event id) is deduplicated by that name.
    const deliveryId = batch.alerts[0]?.deliveryId ?? null;
    if (deliveryId && !(await this.deps.alerts.claimDelivery(batch.source, deliveryId))) {
      const known = await Promise.all(batch.alerts.map((a) => this.deps.alerts.group(a.groupKey)));
      const incidents = [...new Set(known.map((g) => g.incidentId ?? g.lastIncidentId).filter((id): id is string => id !== null))];
      return { outcome: 'duplicate', incidents, opened: [], accepted: batch.alerts.length, unmatched: 0, stale: 0 };
    }
    try {
      const groups = new Map<string, NormalizedAlert[]>();
      for (const alert of batch.alerts) groups.set(alert.groupKey, [...(groups.get(alert.groupKey) ?? []), alert]);
      const results: GroupResult[] = [];
      for (const [groupKey, alerts] of groups) results.push(await this.receiveGroup(batch, groupKey, alerts));
      const incidents = [...new Set(results.map((r) => r.incidentId).filter((id): id is string => id !== null))];
      return {
        outcome: results.some((r) => r.changed || r.unmatched || r.stale) ? 'accepted' : 'duplicate',
        incidents,
        opened: results.filter((r) => r.opened).map((r) => r.incidentId!),
        accepted: batch.alerts.length,
        unmatched: results.reduce((n, r) => n + r.unmatched, 0),
        stale: results.reduce((n, r) => n + (r.stale ?? 0), 0),
      };
    } catch (error) {
      // The sender retries a failed delivery; it must not then be taken for a duplicate.
      if (deliveryId) await this.deps.alerts.releaseDelivery(batch.source, deliveryId).catch(() => undefined);
      throw error;
    }
  }

  private async receiveGroup(batch: AlertBatch, groupKey: string, delivered: NormalizedAlert[]): Promise<GroupResult> {
    const { source, upstream, truncatedAlerts: truncated, drill } = batch;
    const { service, alerts: store, rules } = this.deps;
    // Time, not arrival order: a change older than the alert's last recorded one is dropped.
    const admitted = await store.admitInOrder(
      groupKey,
      delivered.map((a) => ({ fingerprint: a.fingerprint, status: a.status, at: a.changedAt })),
    );
    const alerts = delivered.filter((_, i) => admitted[i]);
    const stale = delivered.length - alerts.length;
    if (stale > 0)
      this.deps.log.info(
        { groupKey, stale, fingerprints: delivered.filter((_, i) => !admitted[i]).map((a) => a.fingerprint) },
        'alert changes older than the recorded ones dropped',
      );
    if (!alerts.length) {
      const group = await store.group(groupKey);
      return { incidentId: group.incidentId ?? group.lastIncidentId, opened: false, changed: false, unmatched: 0, stale };
    }
    const decisions = classifyGroup(alerts, rules);
    const values = alerts.map((a, i) => ({ fingerprint: a.fingerprint, value: `${a.status}:${decisions.perAlert[i]!.severity}` }));
    const actor = `alert:${source}`;

    for (let attempt = 0; attempt < MAX_GROUP_ATTEMPTS; attempt += 1) {
      const group = await store.group(groupKey);
      let incident: Incident | null = group.incidentId ? await service.get(group.incidentId) : null;
      if (incident && !isOpenStatus(incident.status)) {
        // Its resolution was not seen by the observer (crash, other replica): move on now.
        await store.retire(groupKey, incident.id);
        continue;
      }
      let opened = false;
      if (!incident) {
        if (!decisions.group) return { ...(await this.unmatched(batch, group.lastIncidentId, alerts)), stale };
        const lead = alerts[decisions.group.alertIndex]!;
        // `alerts.related.mode: join`: a person's recent incident of this service takes the group.
        const joined = drill ? null : await this.joinRelated(groupKey, group.generation, lead, actor);
        if (joined === 'moved') continue;
        if (joined) {
          incident = joined;
        } else {
          const candidate = drill ? null : stormCandidate(groupKey, group.generation, lead, decisions.group.severity, source);
          const storm = candidate && this.deps.storm ? await this.deps.storm.admit(candidate) : null;
          if (storm === 'moved') continue;
          if (storm) {
            incident = storm.parent;
            opened = storm.opened;
          }
        }
      }
      if (!incident && decisions.group) {
        const lead = alerts[decisions.group.alertIndex]!;
        const result = await service.open(
          {
            title: lead.title,
            summary: lead.description,
            severity: decisions.group!.severity,
            severityReason: decisions.group!.explanation,
            service: lead.service,
            openedBy: actor,
            source,
            alerts: emptyAlerts(groupKey),
            autoRollback: decisions.group!.autoRollback ? { rule: decisions.group!.rule ?? 'unnamed rule' } : null,
            // Kept so live signals read later merge with what this alert said (merge-signals.ts).
            signals: { ...NO_INCIDENT_SIGNALS, carried: { signals: lead.signals, labels: lead.labels } },
            alertContext: buildAlertContext([lead, ...alerts.filter((a) => a !== lead)], this.deps.contextLabels ?? DEFAULT_CONTEXT_LABELS),
            ...(drill ? { drill } : {}),
          },
          // Every concurrent opener of this group and generation gets the same incident.
          { idempotencyKey: `alertgroup:${alertGroupId(groupKey)}:${group.generation}` },
        );
        incident = result.incident;
        opened = result.created;
        if (!isOpenStatus(incident.status)) {
          await store.advance(groupKey, group.generation);
          continue;
        }
        await store.bind(groupKey, group.generation, incident.id);
        // A storm recognised while this incident opened folds it in; this delivery then counts there.
        const parent =
          this.deps.storm && !drill
            ? await this.deps.storm.settle(stormCandidate(groupKey, group.generation, lead, decisions.group.severity, source), incident)
            : null;
        if (parent) {
          incident = parent;
          opened = false;
        }
      }
      if (!incident) throw new Error('unreachable: a group with no decision returned above');
      const record = await store.record(incident.id, values);
      // A storm's child: its own counts too, for its line in the parent's list.
      const child = incident.storm && this.deps.storm ? await this.deps.storm.countChild(incident.id, groupKey, values) : null;
      const childName = alerts[0]!.labels.alertname ?? alerts[0]!.title;
      const childSeverity = decisions.group?.severity ?? incident.severity;
      const truncatedMore = truncated > (incident.alerts?.truncated ?? 0);
      if (record.changed > 0 || truncatedMore || (child?.changed ?? 0) > 0) {
        const changeText = record.changed > 0 ? describeChange(alerts, record) : null;
        const upstreamResolved =
          upstream && alerts.some((a) => a.status === 'resolved')
            ? `Resolved in ${upstream.name}; recorded here, not resolved automatically.`
            : null;
        const target = incident;
        const change = (current: Incident, now: number) => {
          const base = recordAlertState(
            current,
            {
              groupKey,
              snapshot: { firing: record.firing, resolved: record.resolved, seq: record.seq },
              truncated,
              decision:
                record.changed > 0 && decisions.group
                  ? {
                      severity: decisions.group.severity,
                      explanation: decisions.group.explanation,
                      autoRollbackRule: decisions.group.autoRollback ? (decisions.group.rule ?? 'unnamed rule') : null,
                    }
                  : null,
              actor,
              flapWindowMs: this.deps.flapWindowMs,
              changeText,
              upstreamResolved,
            },
            now,
          );
          if (!child) return base;
          const facts = { groupKey, name: childName, severity: childSeverity, firing: child.firing, resolved: child.resolved };
          return recordStormChild(current, facts, actor, now, base);
        };
        // A storm's parent takes its children's changes in batches; others are written as they come
        // (read a moment ago in this pass; a write in between only costs the compare-and-set a retry).
        const outcome =
          child && this.deps.storm
            ? await this.deps.storm.applyToParent(target.id, change)
            : await service.apply(target.id, change, { known: target });
        // A person resolved it between our read and this write: firing alerts must not vanish
        // into a resolved incident (the sender may not repeat them for hours). Move the group
        // on and go round again, which opens the next incident for them.
        if (!outcome.ok && outcome.code === 'alerts.incident_not_open' && alerts.some((a) => a.status === 'firing')) {
          this.deps.log.info(
            { incidentId: incident.id, groupKey },
            'incident ended while its alerts arrived; opening the next one for them',
          );
          await store.retire(groupKey, incident.id);
          continue;
        }
        if (!outcome.ok && outcome.code !== 'alerts.unchanged')
          this.deps.log.info({ incidentId: incident.id, code: outcome.code }, 'alert counted but not applied to its incident');
      }
      return { incidentId: incident.id, opened, changed: opened || record.changed > 0 || truncatedMore, unmatched: 0, stale };
    }
    throw new Error(`alert group ${groupKey}: its incident kept ending while alerts arrived`);
  }

  /**
   * Attaches the group to the incident a person opened for this service within the window
   * (related-incidents.ts), or returns null to open one as usual. 'moved': the group was bound
   * meanwhile; go round again.
   */
  private async joinRelated(
    groupKey: string,
    generation: number,
    lead: NormalizedAlert,
    actor: string,
  ): Promise<Incident | 'moved' | null> {
    const { related, service, alerts: store } = this.deps;
    const target = related ? await related.joinTarget(lead.service) : null;
    if (!target) return null;
    const joined = await service.apply(target.id, (i, now) => joinAlertGroup(i, groupKey, lead.title, actor, now), { known: target });
    if (!joined.ok && joined.code !== 'related.unchanged') return null;
    if (!(await store.bind(groupKey, generation, target.id))) return 'moved';
    this.deps.log.info({ incidentId: target.id, groupKey }, 'alert group joined the incident a person opened for its service');
    return joined.ok ? joined.incident : await service.get(target.id);
  }

  /**
   * Resolved alerts with no open incident. Creating an incident only to resolve it helps
   * nobody, so nothing is opened. A sender with its own incident (PagerDuty) echoing OUR
   * resolution of an incident it opened is recorded on that incident's timeline, and nothing
   * more (no loop back upstream).
   */
  private async unmatched(
    { source, upstream }: AlertBatch,
    lastIncidentId: string | null,
    alerts: NormalizedAlert[],
  ): Promise<GroupResult> {
    if (upstream && lastIncidentId) {
      const last = await this.deps.service.get(lastIncidentId);
      if (last?.source === source) {
        const event: TimelineEventInput = {
          at: this.deps.service.now(),
          actor: `alert:${source}`,
          kind: 'upstream_resolved',
          text: `${upstream.name} incident resolved upstream.`,
        };
        await this.deps.service.appendTimeline(last.id, [event]);
        return { incidentId: last.id, opened: false, changed: true, unmatched: 0 };
      }
    }
    return { incidentId: null, opened: false, changed: false, unmatched: alerts.length };
  }

  /** When an alert incident ends its group moves on; when it is reopened it takes the group back. */
  async changed(incident: Incident, _events: TimelineEventInput[], previous: Incident): Promise<void> {
    const groupKey = incident.alerts?.groupKey;
    if (!groupKey) return;
    const wasOpen = isOpenStatus(previous.status);
    const isOpen = isOpenStatus(incident.status);
    if (wasOpen && !isOpen) await this.deps.alerts.retire(groupKey, incident.id);
    if (!wasOpen && isOpen) await this.deps.alerts.adopt(groupKey, incident.id);
  }
}

function describeChange(alerts: NormalizedAlert[], record: AlertRecord): string {
  const counts = `${record.firing} firing, ${record.resolved} resolved`;
  if (alerts.length === 1) return `Alert ${alerts[0]!.status}: ${alerts[0]!.title} (${counts})`;
  const names = [...new Set(alerts.map((a) => a.labels.alertname ?? a.title))].slice(0, 3).join(', ');
  return `${record.changed} alert(s) changed (${names}): ${counts}`;
}

/** What the storm correlator is told about a group that would open an incident. Drills never start or join a storm. */
function stormCandidate(
  groupKey: string,
  generation: number,
  lead: NormalizedAlert,
  severity: StormCandidate['severity'],
  source: StormCandidate['source'],
): StormCandidate {
  return { groupKey, generation, name: lead.labels.alertname ?? lead.title, labels: lead.labels, severity, source };
}
