import type { SeverityRules } from '../../domain/classifier/rules-schema';
import type { Clock } from '../../domain/clock';
import {
  DEPLOY_WATCH_ACTOR,
  describeDeploy,
  endWatch,
  isListed,
  isSameDeploy,
  startWatch,
  supersedeWatch,
  type Deploy,
  type DeployWatch,
} from '../../domain/deploys/deploy-watch';
import { describeDeployBreach, judgeDeployCheck } from '../../domain/deploys/judge-deploy-check';
import { formatDuration } from '../../domain/duration';
import { utcClock } from '../../domain/report/utc-time';
import { describeSnapshot } from '../../domain/signals/format-signal-value';
import { NO_INCIDENT_SIGNALS } from '../../domain/signals/incident-signals';
import { snapshotOf, type SignalReading, type SignalSnapshot } from '../../domain/signals/signal-reading';
import type { Logger } from '../../logger';
import type { IncidentService } from '../incident-service';
import type { DeployWatches } from '../ports/deploy-watches';
import type { SignalSource } from '../ports/signal-source';
import type { TimerEngine } from '../ports/timer-engine';

/** The timer port as this use case needs it (the Redis timer engine: survives restarts, fires once across replicas). */
export type DeployWatchTimers = Pick<TimerEngine, 'schedule' | 'cancelByPrefix'>;

export const DEPLOY_WATCH_TIMER = 'deploy-watch.check';

/** How far back the baseline looks for the last value before the deploy. */
const BASELINE_LOOKBACK_MS = 5 * 60_000;
const BASELINE_STEP_MS = 15_000;

export interface DeployWatcherDeps {
  watches: DeployWatches;
  source: SignalSource;
  service: IncidentService;
  rules: SeverityRules;
  timers: DeployWatchTimers;
  windowMs: number;
  checkEveryMs: number;
  clock: Clock;
  log: Logger;
}

export type StartOutcome = { watch: DeployWatch; created: boolean; superseded: DeployWatch | null };

/**
 * Deploy watch (docs/deploy-watch.md):
 * 1. a deploy starts a watch of its service for `window`; a second deploy of the service
 *    supersedes the first (its checks stop), the same deploy told twice changes nothing;
 * 2. every `check_every` (one timer per tick on the Redis timer engine: once across replicas,
 *    picked up after a restart) the signals are read and judged against the rules and the
 *    baseline (the last values before the deploy);
 * 3. a critical breach opens one incident linked to the deploy; the rollback feature proposes
 *    the rollback to `previous_release` (or counts down, for an `auto_rollback` rule).
 */
export class DeployWatcher {
  constructor(private readonly deps: DeployWatcherDeps) {}

  async start(deploy: Deploy): Promise<StartOutcome> {
    const { watches, clock, log } = this.deps;
    for (;;) {
      const current = await watches.current(deploy.service);
      const now = clock();
      if (current && isSameDeploy(current, deploy) && now < current.endsAt) return { watch: current, created: false, superseded: null };
      const fresh = startWatch(await watches.nextId(), deploy, now, this.deps.windowMs);
      const stored = await watches.put(fresh, current?.version ?? null);
      if (!stored) continue; // another replica wrote first: decide again on what it wrote
      const superseded = current && isListed(current, now) ? supersedeWatch(current, stored, now) : null;
      if (superseded) {
        await this.deps.timers.cancelByPrefix(`deploy:${current!.id}:`);
        log.info(
          { service: deploy.service, watch: current!.id, release: current!.release, supersededBy: stored.id },
          `deploy watch ${current!.id} of ${describeDeploy(current!)} superseded by release ${stored.release} (${stored.id})`,
        );
      }
      // The first check reads the baseline; it is due now, off the request path.
      await this.scheduleCheck(stored, now);
      log.info(
        { service: deploy.service, watch: stored.id, release: stored.release, endsAt: stored.endsAt },
        `watching ${describeDeploy(stored)}`,
      );
      return { watch: stored, created: true, superseded };
    }
  }

  /** The watches `/incident watch` lists: watching, or breached until their window ends. */
  async active(): Promise<DeployWatch[]> {
    const now = this.deps.clock();
    return (await this.deps.watches.all()).filter((w) => isListed(w, now));
  }

  /** The release last deployed of a service (a GitHub deployment without `previous_release`). */
  async lastRelease(service: string): Promise<string | null> {
    return (await this.deps.watches.current(service))?.release ?? null;
  }

  /** One tick of one watch. A superseded, ended or breached watch's late tick does nothing. */
  async check(service: string, watchId: string, dueAt: number): Promise<void> {
    const { watches, clock, log } = this.deps;
    const watch = await watches.current(service);
    if (!watch || watch.id !== watchId || watch.state !== 'watching') return;
    const now = clock();
    // The tick due at the window's end ends it, even a few ms early: it is the last one scheduled.
    if (now >= watch.endsAt || dueAt >= watch.endsAt) {
      const reason = `healthy for ${formatDuration(watch.endsAt - watch.startedAt)} after the deploy: no rule of P1 or worse matched (${watch.checks} checks)`;
      const ended = await this.update(watch, (w) => endWatch(w, now, reason));
      if (ended)
        log.info(
          { service, watch: watch.id, release: watch.release },
          `deploy watch ${watch.id} of ${describeDeploy(watch)} ended: ${reason}`,
        );
      return;
    }
    // Next tick first: a crash during this read must not end the watch.
    await this.scheduleCheck(watch, Math.min(watch.endsAt, Math.max(dueAt + this.deps.checkEveryMs, now + 100)));
    const baseline = watch.baseline ?? (watch.checks === 0 ? await this.readBaseline(watch) : null);
    const latest = await this.deps.source.readSignals(service);
    const verdict = judgeDeployCheck({ service, baseline }, latest, this.deps.rules);
    if (verdict.kind === 'already_breaching' && watch.checks === 0)
      log.warn(
        { service, watch: watch.id, baseline: baseline && describeSnapshot(baseline) },
        `${describeDeploy(watch)}: ${verdict.decision.explanation}, but it already did before the deploy; not blamed on it`,
      );
    if (verdict.kind !== 'breach') {
      await this.update(watch, (w) => ({ ...w, baseline, latest, checks: w.checks + 1 }));
      return;
    }
    const breach = describeDeployBreach(watch, verdict.because);
    const { decision } = verdict;
    const opened = await this.deps.service.open(
      {
        title: `${watch.service} ${watch.release}: ${verdict.because} after deploy`,
        summary: breach,
        severity: decision.severity,
        severityReason: `${decision.explanation.slice(0, -1)}, ${latest.source} ${utcClock(latest.at)})`,
        service: watch.service,
        openedBy: DEPLOY_WATCH_ACTOR,
        source: DEPLOY_WATCH_ACTOR,
        autoRollback: decision.autoRollback && decision.rule ? { rule: decision.rule } : null,
        signals: { ...NO_INCIDENT_SIGNALS, carried: { signals: {}, labels: {} } },
        deploy: {
          watchId: watch.id,
          service: watch.service,
          release: watch.release,
          previousRelease: watch.previousRelease,
          environment: watch.environment,
          breach,
        },
      },
      // A tick delivered twice (a crash after opening) opens the same incident, not a second one.
      { idempotencyKey: `deploy-watch:${watch.id}` },
    );
    await this.update(watch, (w) => ({ ...w, baseline, latest, checks: w.checks + 1, state: 'breached', incidentId: opened.incident.id }));
    await this.deps.timers.cancelByPrefix(`deploy:${watch.id}:`);
    log.warn({ service, watch: watch.id, incidentId: opened.incident.id }, breach);
  }

  /** The last value of each signal before the deploy (a range query ending at its start). */
  private async readBaseline(watch: DeployWatch): Promise<SignalSnapshot> {
    const { source } = this.deps;
    const window = { startMs: watch.startedAt - BASELINE_LOOKBACK_MS, endMs: watch.startedAt, stepMs: BASELINE_STEP_MS };
    const names = source.signalNames(watch.service);
    const readings = await Promise.all(
      names.map(async (name): Promise<[string, SignalReading]> => {
        const series = await source.readRange({ signal: name }, watch.service, window);
        if (series.kind === 'unavailable') return [name, series];
        const last = series.points.at(-1);
        return [name, last ? { kind: 'value', value: last.value } : { kind: 'no_data' }];
      }),
    );
    return snapshotOf(source.name, watch.startedAt, Object.fromEntries(readings));
  }

  private scheduleCheck(watch: DeployWatch, dueAt: number): Promise<unknown> {
    return this.deps.timers.schedule({
      key: `deploy:${watch.id}:check:${dueAt}`,
      kind: DEPLOY_WATCH_TIMER,
      dueAt,
      payload: { service: watch.service, watchId: watch.id },
    });
  }

  /** Compare-and-set on the watch; gives up when it is no longer the service's current one. */
  private async update(read: DeployWatch, change: (w: DeployWatch) => DeployWatch): Promise<DeployWatch | null> {
    let watch: DeployWatch | null = read;
    for (let attempt = 0; attempt < 5 && watch && watch.id === read.id; attempt++) {
      const stored = await this.deps.watches.put(change(watch), watch.version);
      if (stored) return stored;
      watch = await this.deps.watches.current(read.service);
    }
    return null;
  }
}
