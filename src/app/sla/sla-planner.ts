import type { TimerEngine } from '../ports/timer-engine';
import type { Clock } from '../../domain/clock';
import type { Incident } from '../../domain/incident';
import { diffTimers } from '../../domain/sla/diff-timers';
import { planTimers } from '../../domain/sla/plan-timers';
import type { SlaPlanOptions, SlaTimerKind } from '../../domain/sla/sla-timer';
import type { SlaPolicy } from '../../domain/sla-policy';
import { policyFor } from '../../domain/drills/drill-policy';
import type { Logger } from '../../logger';
import type { IncidentObserver } from '../ports/incident-observer';
import type { IncidentStore } from '../ports/incident-store';
import { slaInputsChanged } from '../../domain/sla/sla-inputs-changed';
import { eachOpenIncident } from '../each-open-incident';

/** The kinds planTimers() owns; other timers under "<id>:" (PagerDuty events, other features) are left alone. */
export const SLA_TIMER_KINDS: ReadonlySet<string> = new Set<SlaTimerKind>([
  'first_response_breach',
  'update_reminder',
  'resolution_warning',
  'resolution_breach',
  'escalation',
  'monitoring_end',
  'report_missing',
]);

const MAX_ROUNDS = 5;

/**
 * Keeps an incident's SLA timers equal to planTimers() of its stored state.
 * 1. Always plans from the incident as stored now, not from the copy an observer was handed.
 * 2. Schedule is idempotent by key and a fired key is never scheduled again, so two replicas
 *    planning at once, or a plan repeated after a crash, schedule nothing twice.
 * 3. If the incident changed while we planned (another replica, a click), plan again: the last
 *    round always sees the latest version, so a replica holding an older copy cannot win.
 * A stale timer that still fires is stopped by evaluateTimerOnFire() in the handler.
 */
export class SlaPlanner implements IncidentObserver {
  readonly name = 'sla-planner';

  constructor(
    private readonly deps: {
      store: IncidentStore;
      timers: TimerEngine;
      policy: SlaPolicy;
      options: SlaPlanOptions;
      clock: Clock;
      log: Logger;
    },
  ) {}

  async opened(incident: Incident): Promise<void> {
    await this.replan(incident.id);
  }

  async changed(incident: Incident, _events: unknown, previous: Incident): Promise<void> {
    if (!slaInputsChanged(previous, incident)) return;
    await this.replan(incident.id);
  }

  /** Returns how many timers were scheduled and cancelled in total. */
  async replan(incidentId: string): Promise<{ scheduled: number; cancelled: number }> {
    const { store, timers, policy, options, clock, log } = this.deps;
    let scheduled = 0;
    let cancelled = 0;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const incident = await store.get(incidentId);
      if (!incident) return { scheduled, cancelled };
      const existing = (await timers.list(`${incidentId}:`)).filter((t) => SLA_TIMER_KINDS.has(t.kind));
      const { toSchedule, toCancel } = diffTimers(existing, planTimers(incident, policyFor(incident, policy), clock(), options));
      // Cancel before scheduling: a clock the change made stale (a P3 reminder after a raise to P0)
      // must not fire in between. A crash here loses nothing: start-up re-plans every open incident.
      for (const key of toCancel) if (await timers.cancel(key)) cancelled++;
      for (const timer of toSchedule) if ((await timers.schedule(timer)) === 'scheduled') scheduled++;
      const after = await store.get(incidentId);
      if (!after || after.version === incident.version) break;
    }
    if (scheduled || cancelled) log.debug({ incidentId, scheduled, cancelled }, 'SLA timers re-planned');
    return { scheduled, cancelled };
  }

  /** At start: incidents whose planning a crash interrupted get their timers (resolved ones too, for monitoring/report). */
  async replanAll(): Promise<number> {
    const { store } = this.deps;
    const done = new Set<string>();
    await eachOpenIncident(store, async (page) => {
      for (const incident of page) if (!done.has(incident.id) && done.add(incident.id)) await this.replan(incident.id);
    });
    const recent = (await store.listAll(500)).filter((i) => i.status === 'resolved');
    for (const incident of recent) if (!done.has(incident.id) && done.add(incident.id)) await this.replan(incident.id);
    return done.size;
  }
}
