import type { SeverityRules } from '../../domain/classifier/rules-schema';
import type { Clock } from '../../domain/clock';
import type { Incident } from '../../domain/incident';
import { isOpenStatus } from '../../domain/lifecycle';
import { judgeRecovery } from '../../domain/signals/judge-recovery';
import { decideWithLive } from '../../domain/signals/decide-with-live';
import {
  acceptRaise,
  recordOpenSignals,
  recordReevaluation,
  recordSignalRecovery,
  withdrawSignalRecovery,
  type LiveDecision,
} from '../../domain/signals/signal-changes';
import type { SignalSeries, SignalSnapshot } from '../../domain/signals/signal-reading';
import type { TimelineEventInput } from '../../domain/timeline';
import type { Logger } from '../../logger';
import type { IncidentObserver } from '../ports/incident-observer';
import type { IncidentService } from '../incident-service';
import type { SignalSource } from '../ports/signal-source';

/** The timer port as this use case needs it (the Redis timer engine: survives restarts, fires once). */
export interface SignalTimers {
  schedule(timer: { key: string; kind: string; dueAt: number; payload: unknown }): Promise<unknown>;
}

export const SIGNAL_TIMERS = { reevaluate: 'signals-reevaluate', recovery: 'signals-recovery' } as const;

export interface LiveSignalsDeps {
  service: IncidentService;
  /** null: live signals are not configured (gate 3 by evidence then needs only the alerts). */
  source: SignalSource | null;
  rules: SeverityRules;
  timers: SignalTimers;
  reevaluateEveryMs: number;
  holdForMs: number;
  clock: Clock;
  log: Logger;
  /** How long reading signals at open took (ms), for the bench and /metrics. */
  observeReadMs?: (ms: number) => void;
}

/**
 * Live signals through an incident's life:
 * 1. at open, read off the acknowledgement path (the alert sender has its 202, the person
 *    their ack) and classify with them; a re-evaluation timer is scheduled first, so a
 *    crash before the read only delays it to the first re-evaluation;
 * 2. every `reevaluate_every` while open: re-read, keep the trend, propose a raise;
 * 3. gate 3 by evidence: alerts all resolved, then signals under every rule for `hold_for`.
 */
export class LiveSignals implements IncidentObserver {
  readonly name = 'live-signals';
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly deps: LiveSignalsDeps) {}

  async opened(incident: Incident): Promise<void> {
    const { source } = this.deps;
    // A drill plays its scenario's story; production's live signals would only confuse it.
    if (!source || !incident.service || incident.drill) return;
    await this.scheduleReevaluation(incident.id, incident.createdAt + this.deps.reevaluateEveryMs);
    const work = this.readAtOpen(incident.id, incident.service).catch((error: unknown) =>
      this.deps.log.warn({ err: error, incidentId: incident.id }, 'reading signals at open failed; the re-evaluation will try again'),
    );
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** Waits for background reads (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  private async readAtOpen(id: string, serviceName: string): Promise<void> {
    const started = performance.now();
    const snapshot = await this.deps.source!.readSignals(serviceName);
    this.deps.observeReadMs?.(performance.now() - started);
    const outcome = await this.deps.service.apply(id, (incident, now) => recordOpenSignals(incident, this.decide(incident, snapshot), now));
    if (!outcome.ok && outcome.code !== 'signals.already_recorded')
      this.deps.log.info({ incidentId: id, code: outcome.code }, 'signals at open not recorded');
  }

  /** The classifier over the alert's own values merged with the live ones (merge-signals.ts). */
  decide(incident: Incident, snapshot: SignalSnapshot): LiveDecision {
    return decideWithLive(incident.signals?.carried ?? { signals: {}, labels: {} }, incident.service, snapshot, this.deps.rules);
  }

  async reevaluate(incidentId: string, dueAt: number): Promise<void> {
    const incident = await this.deps.service.store.get(incidentId);
    if (!incident || !isOpenStatus(incident.status) || !incident.service || !this.deps.source) return;
    // Next one first: a crash during this read must not end the chain.
    await this.scheduleReevaluation(incidentId, Math.max(dueAt + this.deps.reevaluateEveryMs, this.deps.clock() + 1_000));
    const snapshot = await this.deps.source.readSignals(incident.service);
    const outcome = await this.deps.service.apply(incidentId, (current, now) => {
      const live = this.decide(current, snapshot);
      return current.signals?.atOpen ? recordReevaluation(current, live, now) : recordOpenSignals(current, live, now);
    });
    if (!outcome.ok) this.deps.log.debug({ incidentId, code: outcome.code }, 'signal re-evaluation stored nothing');
  }

  private scheduleReevaluation(incidentId: string, dueAt: number): Promise<unknown> {
    return this.deps.timers.schedule({
      key: `${incidentId}:signals:reevaluate:${dueAt}`,
      kind: SIGNAL_TIMERS.reevaluate,
      dueAt,
      payload: { incidentId },
    });
  }

  /** A person accepts the raise the signals proposed. */
  raise(incidentId: string, by: string) {
    return this.deps.service.apply(incidentId, (incident, now) => acceptRaise(incident, by, now));
  }

  /** All alerts resolved: judge recovery after the hold (or at once without signals). */
  async changed(incident: Incident, _events: TimelineEventInput[], previous: Incident): Promise<void> {
    const resolvedAt = incident.alerts?.allResolvedAt ?? null;
    if (incident.drill) return;
    if (resolvedAt === null && previous.alerts?.allResolvedAt != null && incident.signals?.recovery) {
      await this.deps.service.apply(incident.id, (current, now) => withdrawSignalRecovery(current, now));
      return;
    }
    if (resolvedAt === null || previous.alerts?.allResolvedAt === resolvedAt || !isOpenStatus(incident.status)) return;
    if (incident.gates?.recoveryValidatedAt) return;
    if (this.deps.source && incident.service) {
      await this.deps.timers.schedule({
        key: `${incident.id}:signals:recovery:${resolvedAt}`,
        kind: SIGNAL_TIMERS.recovery,
        dueAt: resolvedAt + this.deps.holdForMs,
        payload: { incidentId: incident.id, allResolvedAt: resolvedAt },
      });
      return;
    }
    await this.judge(incident.id, resolvedAt);
  }

  /**
   * Gate 3 by evidence. Still resolved since the same moment, still open, not yet validated;
   * then every signal over the last `hold_for` under every rule. Not yet: tried again later.
   */
  async judge(incidentId: string, allResolvedAt: number): Promise<void> {
    const incident = await this.deps.service.store.get(incidentId);
    if (
      !incident ||
      !isOpenStatus(incident.status) ||
      incident.alerts?.allResolvedAt !== allResolvedAt ||
      incident.gates?.recoveryValidatedAt
    )
      return;
    const now = this.deps.clock();
    const { source, holdForMs } = this.deps;
    const alerts = { groupKey: incident.alerts.groupKey, resolved: incident.alerts.resolved, allResolvedAt };
    if (!source || !incident.service) {
      await this.deps.service.apply(incidentId, (current) =>
        recordSignalRecovery(current, { at: now, holdForMs: 0, source: null, alerts, signals: [] }),
      );
      return;
    }
    const start = Math.max(allResolvedAt, now - holdForMs);
    const stepMs = Math.max(1_000, Math.round((now - start) / 30));
    const names = source.signalNames(incident.service);
    const series: Record<string, SignalSeries> = Object.fromEntries(
      await Promise.all(
        names.map(
          async (name) =>
            [name, await source.readRange({ signal: name }, incident.service, { startMs: start, endMs: now, stepMs })] as const,
        ),
      ),
    );
    const verdict =
      now - start + 1_000 < holdForMs
        ? { held: false as const, reason: 'the hold window is not over' }
        : judgeRecovery(series, this.deps.rules, incident.service);
    if (!verdict.held) {
      this.deps.log.info({ incidentId, reason: verdict.reason }, 'recovery not yet shown by signals; judging again later');
      const next = now + Math.min(this.deps.reevaluateEveryMs, holdForMs);
      await this.deps.timers.schedule({
        key: `${incidentId}:signals:recovery:${allResolvedAt}:${next}`,
        kind: SIGNAL_TIMERS.recovery,
        dueAt: next,
        payload: { incidentId, allResolvedAt },
      });
      return;
    }
    await this.deps.service.apply(incidentId, (current) =>
      recordSignalRecovery(current, { at: now, holdForMs, source: source.name, alerts, signals: verdict.evidence }),
    );
  }
}
