import type { IncidentStore } from '../ports/incident-store';
import type { ScheduledTimer, TimerContext, TimerHandler } from '../ports/timer-engine';
import type { EscalationContacts, SlaConfig } from '../../config/sla-schema';
import type { Clock } from '../../domain/clock';
import { gateFacts, type Incident } from '../../domain/incident';
import { evaluateTimerOnFire } from '../../domain/sla/evaluate-timer-on-fire';
import type { SlaTimer, SlaTimerKind } from '../../domain/sla/sla-timer';
import type { SlaPolicy } from '../../domain/sla-policy';
import { policyFor } from '../../domain/drills/drill-policy';
import type { TimelineEventInput } from '../../domain/timeline';
import type { Logger } from '../../logger';
import type { Metrics } from '../../metrics';
import type { PagerDutySync } from './pagerduty-sync';
import type { RunEffectOnce } from '../ports/run-once';
import type { SlaAudience, SlaNotice, SlaNotifier } from '../ports/sla-notifier';
import type { SlaPlanner } from './sla-planner';

export interface SlaHandlerDeps {
  store: IncidentStore;
  clock: Clock;
  policy: SlaPolicy;
  settings: SlaConfig;
  planner: SlaPlanner;
  notifier: SlaNotifier;
  pagerDuty: PagerDutySync;
  once: RunEffectOnce;
  metrics: Metrics;
  log: Logger;
}

type Effect = (incident: Incident, timer: SlaTimer, ctx: { lateByMs: number | null; overdueMs: number; now: number }) => Promise<void>;

/**
 * One handler per SLA timer kind. Every delivery:
 * 1. reads the incident as stored now and asks evaluateTimerOnFire() whether the timer still applies;
 * 2. runs each effect (timeline entry, each Slack post, the page) under its own runOnce key
 *    `sla:<timer key>:<part>`, so a redelivery after a crash or a retry after a Slack error
 *    repeats only what did not happen;
 * 3. re-plans the incident, which schedules the next reminder (after a crash the redelivery does it).
 */
export function slaTimerHandlers(deps: SlaHandlerDeps): Record<SlaTimerKind, TimerHandler> {
  const { store, clock, policy, settings, planner, notifier, pagerDuty, once, metrics, log } = deps;

  // A drill played faster runs every clock faster too.
  const targets = (incident: Incident) => policyFor(incident, policy)[incident.severity];
  // Drills stay out of the metrics: they rehearse the procedure, they are not incidents.
  const count = (incident: Incident, add: () => void) => {
    if (!incident.drill) add();
  };

  const contacts = (incident: Incident): EscalationContacts => {
    const override = incident.service ? settings.services[incident.service]?.escalation : undefined;
    return { level2: override?.level2 ?? settings.escalation.level2, level3: override?.level3 ?? settings.escalation.level3 };
  };

  // Each entry carries its effect key, so a retry after a crash can see it was already written.
  const appendOnce = (incidentId: string, effectKey: string, event: TimelineEventInput) =>
    once(
      effectKey,
      () => store.appendTimeline(incidentId, [{ ...event, details: { ...event.details, effect: effectKey } }]),
      (startedAt) => store.timelineHasEffect(incidentId, effectKey, startedAt),
    );

  const timeline = (timer: SlaTimer, event: TimelineEventInput) => appendOnce(timer.payload.incidentId, `sla:${timer.key}:timeline`, event);

  const post = async (timer: SlaTimer, incident: Incident, audience: SlaAudience, notice: SlaNotice) => {
    for (const target of notifier.targets(incident, audience)) {
      const effectKey = `sla:${timer.key}:slack:${target.channel}`;
      await once(
        effectKey,
        () => notifier.postTo(target, notice, effectKey),
        (startedAt) => notifier.wasPosted(target, effectKey, startedAt),
      );
    }
  };

  const breach = async (timer: SlaTimer, incident: Incident, clockName: string, overdueMs: number, now: number) => {
    const ran = await appendOnce(incident.id, `sla:${timer.key}:breach`, {
      at: now,
      actor: 'bot',
      kind: 'sla_breach',
      text: `SLA breached: ${clockName.replace('_', ' ')} (${incident.severity})`,
      details: { clock: clockName, severity: incident.severity, overdueMs, dueAt: timer.dueAt },
    });
    if (ran) count(incident, () => metrics.slaBreaches.inc({ kind: clockName, severity: incident.severity }));
    await notifier.refresh(incident.id);
  };

  const effects: Record<SlaTimerKind, Effect> = {
    async update_reminder(incident, timer, { lateByMs, now }) {
      const notice: SlaNotice = {
        kind: 'update_due',
        incident,
        now,
        lateByMs,
        timerKey: timer.key,
        everyMs: targets(incident).updateEveryMs,
        since: timer.payload.since ?? incident.createdAt,
        lastUpdateBy: incident.lastUpdateBy,
      };
      await post(timer, incident, 'incident', notice);
      count(incident, () => metrics.remindersSent.inc({ kind: 'status_update' }));
    },
    async first_response_breach(incident, timer, { lateByMs, overdueMs, now }) {
      await breach(timer, incident, 'first_response', overdueMs, now);
      await post(timer, incident, 'incident', {
        kind: 'first_response_breach',
        incident,
        now,
        lateByMs,
        timerKey: timer.key,
        targetMs: targets(incident).firstResponseMs,
      });
    },
    async resolution_warning(incident, timer, { lateByMs, now }) {
      const dueAt = incident.createdAt + targets(incident).resolveWithinMs;
      await post(timer, incident, 'incident', {
        kind: 'resolution_warning',
        incident,
        now,
        lateByMs,
        timerKey: timer.key,
        dueAt,
        targetMs: targets(incident).resolveWithinMs,
      });
      count(incident, () => metrics.remindersSent.inc({ kind: 'resolution_warning' }));
    },
    async resolution_breach(incident, timer, { lateByMs, overdueMs, now }) {
      await breach(timer, incident, 'resolution', overdueMs, now);
      await post(timer, incident, 'incident', {
        kind: 'resolution_breach',
        incident,
        now,
        lateByMs,
        timerKey: timer.key,
        targetMs: targets(incident).resolveWithinMs,
        overdueMs,
      });
    },
    async escalation(incident, timer, { lateByMs, now }) {
      const level = timer.payload.level ?? 1;
      if (level <= 1) {
        // L1 = the page; the page itself is an outbox timer so PagerDuty trouble retries without blocking anything.
        const outcome = await pagerDuty.escalate(incident);
        await timeline(timer, { at: now, actor: 'bot', kind: 'escalation', text: `Escalation level 1: ${outcome}`, details: { level: 1 } });
      } else {
        const list = level === 2 ? contacts(incident).level2 : contacts(incident).level3;
        const afterMs = timer.dueAt - incident.createdAt;
        await timeline(timer, {
          at: now,
          actor: 'bot',
          kind: 'escalation',
          text: `Escalation level ${level}: ${list.length ? `mentioned ${list.length} contact(s)` : 'no contacts configured'}`,
          details: { level, mentions: list },
        });
        await post(timer, incident, 'incident_and_response', {
          kind: 'escalation',
          incident,
          now,
          lateByMs,
          timerKey: timer.key,
          level,
          afterMs,
          mentions: list,
        });
      }
      await once(`sla:${timer.key}:counted`, async () => count(incident, () => metrics.escalations.inc({ level: String(level) })));
    },
    async monitoring_end(incident, timer, { lateByMs, now }) {
      await post(timer, incident, 'incident', {
        kind: 'monitoring_end',
        incident,
        now,
        lateByMs,
        timerKey: timer.key,
        resolvedAt: timer.payload.resolvedAt ?? incident.resolvedAt ?? now,
      });
      count(incident, () => metrics.remindersSent.inc({ kind: 'monitoring_end' }));
    },
    async report_missing(incident, timer, { lateByMs, now }) {
      if (gateFacts(incident).reportWrittenAt !== null) return;
      await post(timer, incident, 'incident', {
        kind: 'report_missing',
        incident,
        now,
        lateByMs,
        timerKey: timer.key,
        resolvedAt: timer.payload.resolvedAt ?? incident.resolvedAt ?? now,
      });
      count(incident, () => metrics.remindersSent.inc({ kind: 'report_missing' }));
    },
  };

  const handle =
    (kind: SlaTimerKind): TimerHandler =>
    async (scheduled: ScheduledTimer, ctx: TimerContext) => {
      const timer = scheduled as unknown as SlaTimer;
      const now = clock();
      const incident = await store.get(timer.payload.incidentId);
      const verdict = evaluateTimerOnFire(incident, timer, now, incident ? targets(incident) : undefined);
      const tlog = log.child({ incidentId: timer.payload.incidentId, timer: timer.key });
      if (!verdict.apply || !incident) {
        tlog.debug({ reason: verdict.apply ? 'no incident' : verdict.reason }, 'SLA timer no longer applies');
      } else {
        if (ctx.attempt === 1) metrics.timerLateness.observe({ kind }, ctx.lateByMs / 1000);
        await effects[kind](incident, timer, { lateByMs: ctx.late ? ctx.lateByMs : null, overdueMs: verdict.overdueMs, now });
        tlog.info({ late: ctx.late, lateByMs: ctx.lateByMs, attempt: ctx.attempt }, 'SLA timer fired');
      }
      // The next reminder exists only once this one fired; a crash before here is redelivered and gets here.
      await planner.replan(timer.payload.incidentId);
    };

  return Object.fromEntries((Object.keys(effects) as SlaTimerKind[]).map((k) => [k, handle(k)])) as Record<SlaTimerKind, TimerHandler>;
}
