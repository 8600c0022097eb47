import type { ChannelInvites, ChatAccountsByEmail } from '../ports/on-call-invites';
import { isRetryable, type OnCallPerson, type Pager, type PagerResult } from '../ports/pager';
import type { IncidentStore } from '../ports/incident-store';
import type { ScheduledTimer, TimerEngine, TimerHandler } from '../ports/timer-engine';
import type { SlaConfig } from '../../config/sla-schema';
import type { Clock } from '../../domain/clock';
import { onCallAccounts, type Incident, type OnCall } from '../../domain/incident';
import type { Logger } from '../../logger';
import type { Metrics } from '../../metrics';
import type { IncidentObserver } from '../ports/incident-observer';
import type { IdempotencyMarks, RunEffectOnce } from '../ports/run-once';

type PagerAction = 'trigger' | 'acknowledge' | 'resolve';
interface EventPayload {
  incidentId: string;
  action: PagerAction;
}

export const PAGERDUTY_TIMER_KINDS = { event: 'pagerduty_event', oncall: 'pagerduty_oncall' } as const;
const PAGED_TTL_MS = 90 * 86_400_000;

/**
 * Incidents → PagerDuty Events v2 (dedup_key = incident id), and on-call lookups for the announcement.
 * 1. Observers only schedule a timer due now (an outbox in Redis): opening an incident never waits
 *    for PagerDuty, a crash loses no event, and a failing call is retried by the timer engine.
 * 2. Trigger on open and on a raise or reopen into a paging severity; acknowledge and resolve follow
 *    Slack, but only for incidents we paged (a mark set after a successful trigger).
 * 3. Incidents that came from PagerDuty are never triggered or resolved upstream: they are PagerDuty's.
 * 4. A failure is written on the timeline once per event; Slack goes on regardless.
 */
export class PagerDutySync implements IncidentObserver {
  readonly name = 'pagerduty';

  constructor(
    private readonly deps: {
      pager: Pager | null;
      canPage: boolean;
      canLookUp: boolean;
      settings: SlaConfig;
      store: IncidentStore;
      timers: TimerEngine;
      marks: IdempotencyMarks;
      once: RunEffectOnce;
      clock: Clock;
      metrics: Metrics;
      log: Logger;
      /** Redraws the announcement after the on-call is stored. */
      refresh: (incidentId: string) => Promise<void>;
    },
  ) {}

  /** Chat accounts by email and channel invites, once the chat app exists; without them nobody is invited. */
  private chat: { accounts: ChatAccountsByEmail; invites: ChannelInvites } | null = null;

  attachChat(chat: { accounts: ChatAccountsByEmail; invites: ChannelInvites }): void {
    this.chat = chat;
  }

  private pages(incident: Incident): boolean {
    // A drill pages nobody unless its scenario says so.
    if (incident.drill && !incident.drill.page) return false;
    return this.deps.canPage && incident.source !== 'pagerduty' && this.deps.settings.pagerDuty.pageSeverities.includes(incident.severity);
  }

  private policyFor(incident: Incident): string | null {
    return (
      (incident.service ? this.deps.settings.services[incident.service]?.escalationPolicy : undefined) ??
      this.deps.settings.pagerDuty.escalationPolicy
    );
  }

  private async queue(incidentId: string, action: PagerAction, tag: string): Promise<void> {
    const payload: EventPayload = { incidentId, action };
    await this.deps.timers.schedule({
      key: `${incidentId}:pagerduty:${action}:${tag}`,
      kind: PAGERDUTY_TIMER_KINDS.event,
      dueAt: this.deps.clock(),
      payload,
    });
  }

  async opened(incident: Incident): Promise<void> {
    if (this.pages(incident)) await this.queue(incident.id, 'trigger', `open:${incident.createdAt}`);
    await this.lookUpOnCall(incident, this.deps.clock());
  }

  /** Schedules an on-call lookup of the incident's current policy (the key is per due time, so re-planning is idempotent). */
  private async lookUpOnCall(incident: Incident, dueAt: number): Promise<void> {
    const policy = this.policyFor(incident);
    if (!this.deps.canLookUp || !policy) return;
    await this.deps.timers.schedule({
      key: `${incident.id}:pagerduty:oncall:${dueAt}`,
      kind: PAGERDUTY_TIMER_KINDS.oncall,
      dueAt,
      payload: { incidentId: incident.id, policy },
    });
  }

  async changed(incident: Incident, _events: unknown, previous: Incident): Promise<void> {
    // Moved to a service with another escalation policy: its on-call, now.
    const reopened = previous.resolvedAt !== null && incident.resolvedAt === null;
    if (incident.resolvedAt === null && (reopened || this.policyFor(incident) !== this.policyFor(previous)))
      await this.lookUpOnCall(incident, this.deps.clock());
    const unresolved = incident.resolvedAt === null && incident.status !== 'closed';
    if (unresolved && this.pages(incident) && !this.pages(previous))
      await this.queue(incident.id, 'trigger', `raise:${incident.severity}:${incident.version}`);
    if (unresolved && previous.resolvedAt !== null && this.pages(incident))
      await this.queue(incident.id, 'trigger', `reopen:${incident.version}`);
    if (previous.acknowledgedAt === null && incident.acknowledgedAt !== null && incident.source !== 'pagerduty')
      await this.queue(incident.id, 'acknowledge', String(incident.acknowledgedAt));
    if (previous.resolvedAt === null && incident.resolvedAt !== null && incident.source !== 'pagerduty')
      await this.queue(incident.id, 'resolve', String(incident.resolvedAt));
  }

  /** Escalation level 1 (first response missed): page on-call; answers the line for the timeline. */
  async escalate(incident: Incident): Promise<string> {
    if (incident.source === 'pagerduty') return 'the incident came from PagerDuty, which pages its own on-call';
    if (incident.drill && !incident.drill.page) return 'a drill pages nobody (its scenario has `page: false`)';
    if (!this.deps.canPage) return 'paging is not configured (set PAGERDUTY_ROUTING_KEY; `pagerduty.enabled` must not be false)';
    await this.queue(incident.id, 'trigger', `escalation:${incident.severity}`);
    return 'paging on-call through PagerDuty';
  }

  handlers(): Record<string, TimerHandler> {
    return {
      [PAGERDUTY_TIMER_KINDS.event]: (timer) => this.onEvent(timer),
      [PAGERDUTY_TIMER_KINDS.oncall]: (timer) => this.onOnCall(timer),
    };
  }

  private pagedMark(incidentId: string): string {
    return `pagerduty-paged:${incidentId}`;
  }

  private async onEvent(timer: ScheduledTimer): Promise<void> {
    const { incidentId, action } = timer.payload as EventPayload;
    const { pager, store, marks } = this.deps;
    const incident = await store.get(incidentId);
    if (!incident || !pager) return;
    if (action === 'trigger') {
      // Resolved before we got here: paging now would wake someone for nothing.
      if (incident.resolvedAt !== null || incident.status === 'closed') return;
      await this.send(timer, incident, 'trigger', () => pager.trigger(incident));
      await marks.set(this.pagedMark(incidentId), '1', PAGED_TTL_MS);
      // An acknowledge or resolve that came while the trigger was pending skipped itself (not paged yet): send it now.
      const latest = await store.get(incidentId);
      if (latest?.acknowledgedAt != null) await this.send(timer, latest, 'acknowledge', () => pager.acknowledge(incidentId));
      if (latest?.resolvedAt != null) await this.send(timer, latest, 'resolve', () => pager.resolve(incidentId));
      return;
    }
    if (!(await marks.get(this.pagedMark(incidentId)))) return;
    await this.send(timer, incident, action, () => (action === 'acknowledge' ? pager.acknowledge(incidentId) : pager.resolve(incidentId)));
  }

  private async send(timer: ScheduledTimer, incident: Incident, action: PagerAction, call: () => Promise<PagerResult>): Promise<void> {
    const { once, store, metrics, clock } = this.deps;
    const effectKey = `pagerduty:${timer.key}:${action}`;
    // Events v2 folds a repeated event by dedup_key, so only the timeline line needs the crash-window lookup.
    const alreadyHappened =
      action === 'trigger' ? (startedAt: number) => store.timelineHasEffect(incident.id, effectKey, startedAt) : undefined;
    await once(
      effectKey,
      async () => {
        const result = await call();
        metrics.pagerDutyEvents.inc({ action, outcome: result.ok ? 'ok' : 'failed' });
        if (result.ok) {
          if (action === 'trigger') {
            await store.appendTimeline(incident.id, [
              {
                at: clock(),
                actor: 'bot',
                kind: 'pagerduty',
                text: `Paged on-call through PagerDuty (${incident.severity})`,
                details: { action, dedupKey: result.dedupKey, attempts: result.attempts, effect: effectKey },
              },
            ]);
          }
          return;
        }
        const retry = isRetryable(result.status);
        await once(`pagerduty:${timer.key}:${action}:failed`, () =>
          store.appendTimeline(incident.id, [
            {
              at: clock(),
              actor: 'bot',
              kind: 'pagerduty',
              text: `PagerDuty ${action} failed: ${result.error ?? 'no answer'}${retry ? '; retrying in the background' : ''}`,
              details: { action, status: result.status, attempts: result.attempts, error: result.error },
            },
          ]),
        );
        // Retryable: the timer comes back with backoff (same dedup_key, so PagerDuty folds repeats).
        if (retry) throw new Error(`PagerDuty ${action} failed: ${result.error ?? 'no answer'}`);
      },
      alreadyHappened,
    );
  }

  /** The level-1 people with their chat accounts, when they are to be invited (found by email; none without). */
  private async withAccounts(oncalls: OnCallPerson[]): Promise<OnCall['people']> {
    const { settings } = this.deps;
    const accounts = this.chat?.accounts;
    return Promise.all(
      oncalls.map(async ({ name, level, email }) => {
        const user = settings.pagerDuty.inviteOnCall && accounts && level === 1 && email ? await accounts.userIdFor(email) : null;
        return user ? { name, level, user } : { name, level };
      }),
    );
  }

  /**
   * Invites the level-1 on-call who were not on call at the last lookup into the incident's channel:
   * a shift change brings the new person in, and someone who left the channel is not pulled back
   * every refresh. A channel created after this lookup invites them itself (SlackChannelSetup).
   */
  private async inviteNewcomers(incident: Incident, before: OnCall | null): Promise<void> {
    const invites = this.chat?.invites;
    const channel = incident.channel?.id;
    if (!invites || !channel || incident.drill) return;
    const earlier = new Set(onCallAccounts(before));
    const newcomers = onCallAccounts(incident.oncall ?? null).filter((u) => !earlier.has(u));
    if (!newcomers.length) return;
    await invites.invite(channel, newcomers);
    this.deps.log.info({ incidentId: incident.id, users: newcomers.length }, 'on-call invited into the incident channel');
  }

  /**
   * Looks up who is on call and shows it on the announcement; while the incident is unresolved
   * the lookup comes back every `oncall_refresh`, since shifts change during long incidents.
   * A policy the incident no longer uses (its service changed) is skipped: the change scheduled its own.
   */
  private async onOnCall(timer: ScheduledTimer): Promise<void> {
    const { incidentId, policy } = timer.payload as { incidentId: string; policy: string };
    const { pager, store, once, clock, refresh, settings } = this.deps;
    const incident = await store.get(incidentId);
    if (!pager || !incident || incident.resolvedAt !== null || incident.status === 'closed' || this.policyFor(incident) !== policy) return;
    const result = await pager.currentOnCall(policy);
    if (!result.ok) {
      // Once per incident and policy: a PagerDuty outage must not write a line every refresh.
      await once(`pagerduty:${incidentId}:oncall-failed:${policy}`, () =>
        store.appendTimeline(incidentId, [
          {
            at: clock(),
            actor: 'bot',
            kind: 'pagerduty',
            text: `On-call lookup failed: ${result.error ?? 'no answer'}`,
            details: { policy, status: result.status },
          },
        ]),
      );
    } else {
      const people = await this.withAccounts(result.oncalls);
      let before: OnCall | null = null;
      const stored = await store.update(incidentId, (i) => {
        before = i.oncall ?? null;
        return { ok: true, incident: { ...i, oncall: { people, escalationPolicy: policy, at: clock() } }, events: [] };
      });
      if (stored.ok) {
        if (JSON.stringify(people) !== JSON.stringify((before as OnCall | null)?.people ?? null)) await refresh(incidentId);
        await this.inviteNewcomers(stored.incident, before);
      }
    }
    // The next one on the same grid, skipping slots missed while every bot was down.
    const every = settings.pagerDuty.onCallRefreshMs;
    await this.lookUpOnCall(incident, timer.dueAt + every * Math.max(1, Math.ceil((clock() - timer.dueAt + 1) / every)));
  }
}
