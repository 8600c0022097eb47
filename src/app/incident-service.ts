import type { IncidentObserver, OpenOptions } from './ports/incident-observer';
import type { IncidentStore, UpdateOutcome } from './ports/incident-store';
import type { Clock } from '../domain/clock';
import * as domain from '../domain/incident';
import type { Change, Incident, NewIncident, SlackRef } from '../domain/incident';
import type { TimelineEvent, TimelineEventInput } from '../domain/timeline';
import type { IncidentStatus } from '../domain/lifecycle';
import { assignRole, type Role } from '../domain/roles';
import { joinPrivateChannel, leavePrivateChannel } from '../domain/private-incident';
import type { Severity } from '../domain/severity';
import { slaState, type SlaPolicy, type SlaState } from '../domain/sla-policy';
import { policyFor } from '../domain/drills/drill-policy';
import { overrideRecovery } from '../domain/paper-trail/override-recovery';
import type { Refusal } from '../domain/result';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { Phrase } from '../domain/phrase';
import { eachOpenIncident, OPEN_SWEEP_PAGE } from './each-open-incident';

export type ApplyOutcome = UpdateOutcome & { notices?: string[] };

/**
 * A rule every change must pass (the protocol's gates), judged on the incident before and
 * after the change inside the same compare-and-set as the write. Pure and synchronous.
 */
export type ChangeGuard = (previous: Incident, next: Incident) => Refusal | null;

export interface ResolveOptions {
  /** Gate 3's override: resolve without validated recovery, for this reason (recorded). */
  override?: string;
}

/** The use cases: every change goes domain → Redis → observers, in that order. */
export class IncidentService {
  private readonly observers: IncidentObserver[] = [];
  private readonly guards: ChangeGuard[] = [];

  constructor(
    private readonly deps: {
      store: IncidentStore;
      clock: Clock;
      log: Logger;
      metrics: Metrics;
      slaPolicy: SlaPolicy;
    },
  ) {}

  /** The incident as stored now, or null. */
  get(id: string): Promise<Incident | null> {
    return this.deps.store.get(id);
  }

  /**
   * The incident and its timeline as of one moment: what a reader that shows both needs (read one
   * after the other, an entry could show a change the incident does not, or the other way round).
   */
  getWithTimeline(id: string): Promise<{ incident: Incident; timeline: TimelineEvent[] } | null> {
    return this.deps.store.getWithTimeline(id);
  }

  /** Its timeline, oldest first; `count` reads only that many. */
  timeline(id: string, count?: number): Promise<TimelineEvent[]> {
    return this.deps.store.timeline(id, count);
  }

  /** Notes on the timeline that change nothing about the incident (no guards, no observers). */
  appendTimeline(id: string, events: TimelineEventInput[]): Promise<void> {
    return this.deps.store.appendTimeline(id, events);
  }

  /** Open incidents, oldest first; `limit` reads only that many. */
  listOpen(limit?: number): Promise<Incident[]> {
    return this.deps.store.listOpen(limit);
  }

  /** Every incident, newest first. */
  listAll(limit?: number, offset?: number): Promise<Incident[]> {
    return this.deps.store.listAll(limit, offset);
  }

  /** The incident a dedicated channel belongs to, so a command typed there implies it. */
  findByChannel(channelId: string): Promise<string | null> {
    return this.deps.store.incidentForChannel(channelId);
  }

  /** Remembers that `channelId` is the incident's own channel (see findByChannel). */
  linkChannel(channelId: string, incidentId: string): Promise<void> {
    return this.deps.store.linkChannel(channelId, incidentId);
  }

  /** Where the announcement was posted: stored on the incident so it is updated in place (no timeline entry, no observers). */
  recordAnnouncement(id: string, announcement: SlackRef): Promise<UpdateOutcome> {
    return this.deps.store.update(id, (i) => ({ ok: true, incident: { ...i, announcement }, events: [] }));
  }

  /**
   * The incident's own channel, stored with a timeline entry saying `text` (no observers: the
   * channel's setup is the caller's). `keepExisting`: an incident that has a channel keeps it.
   */
  attachChannel(
    id: string,
    channel: { id: string; name: string },
    text: string,
    options: { keepExisting?: boolean } = {},
  ): Promise<UpdateOutcome> {
    return this.deps.store.update(id, (i) =>
      options.keepExisting && i.channel
        ? { ok: true, incident: i, events: [] }
        : {
            ok: true,
            incident: { ...i, channel },
            events: [{ at: this.deps.clock(), actor: 'bot', kind: 'channel', text, details: { channel: channel.id } }],
          },
    );
  }

  now(): number {
    return this.deps.clock();
  }

  observe(observer: IncidentObserver): void {
    this.observers.push(observer);
  }

  /** Adds a rule every change must pass; a refusal stores nothing and is returned as the outcome. */
  guard(guard: ChangeGuard): void {
    this.guards.push(guard);
  }

  /** One page of open incidents, most severe first then oldest first, and how many are open in all. */
  async openPage(limit: number, offset = 0): Promise<{ incidents: Incident[]; total: number }> {
    const [incidents, total] = await Promise.all([this.deps.store.listOpenBySeverity(limit, offset), this.deps.store.countOpen()]);
    return { incidents, total };
  }

  /** Every open incident, a page at a time, oldest first (see eachOpenIncident): for sweeps. */
  eachOpen(visit: (page: Incident[]) => Promise<void>, pageSize = OPEN_SWEEP_PAGE): Promise<number> {
    return eachOpenIncident(this.deps.store, visit, pageSize);
  }

  /** The last `count` timeline entries and the total: what `/incident show` displays. */
  timelineTail(id: string, count: number): Promise<{ entries: TimelineEvent[]; total: number }> {
    return this.deps.store.timelineTail(id, count);
  }
  /** Timeline entries after a cursor (stream id), oldest first: what a sync has not seen yet. */
  timelineAfter(id: string, cursor: string | null): Promise<TimelineEvent[]> {
    return this.deps.store.timelineAfter(id, cursor);
  }

  sla(incident: Incident): SlaState {
    return slaState(incident, policyFor(incident, this.deps.slaPolicy), this.deps.clock());
  }

  async open(input: NewIncident, options: OpenOptions = {}): Promise<{ created: boolean; incident: Incident; notices: string[] }> {
    const now = this.deps.clock();
    const { created, incident } = await this.deps.store.create(domain.createIncident('', input, now), options.idempotencyKey);
    if (!created) return { created, incident, notices: [] };
    // Drills rehearse the procedure; they never count as incidents or response times.
    if (!incident.drill) this.deps.metrics.incidentsOpened.inc({ severity: incident.severity, source: incident.source });
    this.deps.log.info({ incidentId: incident.id, severity: incident.severity, source: incident.source }, 'incident opened');
    const notices = await this.notify((o) => o.opened?.(incident, options));
    return { created, incident: (await this.deps.store.get(incident.id)) ?? incident, notices };
  }

  /** Applies a pure domain change, stores it with its timeline entries, then tells observers. */
  /** `known`: the incident as the caller just read it (saves a read; a stale copy only costs a retry). */
  async apply(id: string, change: (incident: Incident, now: number) => Change, options: { known?: Incident } = {}): Promise<ApplyOutcome> {
    let previous: Incident | undefined;
    const outcome = await this.deps.store.update(
      id,
      (incident) => {
        previous = incident;
        const result = change(incident, this.deps.clock());
        if (!result.ok) return result;
        for (const guard of this.guards) {
          const refusal = guard(incident, result.incident);
          if (refusal) return refusal;
        }
        return result;
      },
      options,
    );
    if (!outcome.ok || !previous) return outcome;
    this.record(previous, outcome.incident);
    const before = previous;
    const notices = await this.notify((o) => o.changed?.(outcome.incident, outcome.events, before));
    return { ...outcome, notices };
  }

  private record(previous: Incident, next: Incident): void {
    const { metrics } = this.deps;
    if (next.drill) return;
    if (previous.status !== next.status) metrics.incidentTransitions.inc({ to: next.status });
    if (previous.acknowledgedAt === null && next.acknowledgedAt !== null) {
      metrics.timeToAcknowledge.observe({ severity: next.severity }, (next.acknowledgedAt - next.createdAt) / 1000);
    }
    if (previous.resolvedAt === null && next.resolvedAt !== null) {
      metrics.timeToResolve.observe({ severity: next.severity }, (next.resolvedAt - next.createdAt) / 1000);
    }
  }

  private async notify(call: (o: IncidentObserver) => Promise<string | void> | undefined): Promise<string[]> {
    const notices: string[] = [];
    for (const observer of this.observers) {
      try {
        const notice = await call(observer);
        if (notice) notices.push(notice);
      } catch (error) {
        // An observer failing (Slack down, GitHub down) never undoes or blocks the stored change.
        this.deps.log.error({ err: error, observer: observer.name }, 'incident observer failed');
      }
    }
    return notices;
  }

  acknowledge(id: string, user: string) {
    return this.apply(id, (i, now) => domain.acknowledge(i, user, now));
  }

  takeCommand(id: string, user: string) {
    return this.apply(id, (i, now) => domain.assignCommander(i, user, user, now));
  }

  assignCommander(id: string, commander: string, by: string) {
    return this.apply(id, (i, now) => domain.assignCommander(i, commander, by, now));
  }

  assignRole(id: string, role: Role, user: string, by: string) {
    return this.apply(id, (i, now) => assignRole(i, role, user, by, now));
  }

  /** Someone joined a private incident's channel (`by`: who added them): they are in it from now on. */
  joinPrivateChannel(id: string, user: string, by: string) {
    return this.apply(id, (i, now) => joinPrivateChannel(i, user, by, now));
  }

  /** Someone left a private incident's channel: outside it they see only "Private incident". */
  leavePrivateChannel(id: string, user: string) {
    return this.apply(id, (i, now) => leavePrivateChannel(i, user, now));
  }

  changeSeverity(id: string, severity: Severity, by: string) {
    return this.apply(id, (i, now) => domain.changeSeverity(i, severity, by, now, { confirmed: true }));
  }

  confirmSeverity(id: string, by: string) {
    return this.apply(id, (i, now) => domain.confirmSeverity(i, by, now));
  }

  postUpdate(id: string, input: { status: IncidentStatus | null; text: Phrase; by: string }) {
    return this.apply(id, (i, now) =>
      domain.postStatusUpdate(i, { status: input.status ?? i.status, text: input.text, by: input.by }, now),
    );
  }

  addNote(id: string, text: Phrase, by: string, details?: Record<string, unknown>) {
    return this.apply(id, (i, now) => domain.addNote(i, text, by, now, details));
  }

  resolve(id: string, by: string, summary?: Phrase, options: ResolveOptions = {}) {
    return this.apply(id, (i, now) => {
      if (options.override === undefined) return domain.resolve(i, by, now, summary);
      // The override and the resolve are one change: refused together, stored together.
      const overridden = overrideRecovery(i, by, options.override, now);
      if (!overridden.ok) return overridden;
      const resolved = domain.resolve(overridden.incident, by, now, summary);
      if (!resolved.ok) return resolved;
      return { ok: true, incident: resolved.incident, events: [...overridden.events, ...resolved.events] };
    });
  }

  reopen(id: string, by: string) {
    return this.apply(id, (i, now) => domain.reopen(i, by, now));
  }

  close(id: string, by: string) {
    return this.apply(id, (i, now) => domain.close(i, by, now));
  }
}
