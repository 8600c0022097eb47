import { registerSignalActions } from '../adapters/inbound/slack/handlers/signal-actions';
import { LiveSignals, SIGNAL_TIMERS } from '../app/signals/live-signals';
import type { CoreContext, Feature } from './feature';

/**
 * Live signals (docs/signals.md): classification at open, re-evaluation while open with a
 * raise proposal, gate 3 by evidence. Its timers run on the shared Redis timer engine, so
 * they survive restarts and fire once across replicas.
 */
export function signalsFeature(core: CoreContext): Feature & { live: LiveSignals } {
  const { config, clock, log: root, service, timers, signalSource } = core;
  const log = root.child({ component: 'signals' });
  const live = new LiveSignals({
    service,
    source: signalSource,
    rules: config.severityRules,
    timers,
    reevaluateEveryMs: config.signals?.reevaluateEveryMs ?? 60_000,
    holdForMs: config.recovery.holdForMs,
    clock,
    log,
    observeReadMs: (ms) => core.metrics.signalReadSeconds.observe(ms / 1000),
  });
  service.observe(live);
  return {
    name: 'signals',
    live,
    timerHandlers: {
      [SIGNAL_TIMERS.reevaluate]: async (timer) => live.reevaluate((timer.payload as { incidentId: string }).incidentId, timer.dueAt),
      [SIGNAL_TIMERS.recovery]: async (timer) => {
        const { incidentId, allResolvedAt } = timer.payload as { incidentId: string; allResolvedAt: number };
        await live.judge(incidentId, allResolvedAt);
      },
    },
    install({ app }) {
      registerSignalActions(app, live);
    },
    async start() {
      if (!signalSource) return;
      // Each configured query tried once: one that does not parse is named now, not at 3 a.m.
      void signalSource.selfCheck().then(
        ({ problems, unreachable }) => {
          for (const problem of problems) log.error({ problem }, `signal query does not work: ${problem}`);
          if (unreachable)
            log.warn(
              { reason: unreachable },
              `signals unavailable at start: ${unreachable}; classification falls back to the alerts' own data until it answers`,
            );
        },
        (error: unknown) => log.warn({ err: error }, 'signal self-check failed'),
      );
    },
    async stop() {
      await live.settled();
    },
  };
}
