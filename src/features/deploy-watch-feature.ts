import { deployRoutes } from '../adapters/inbound/http/deploy-routes';
import { RedisDeployWatches } from '../adapters/outbound/redis/redis-deploy-watches';
import { deployWatchList } from '../adapters/outbound/slack/views/deploy-watch-list';
import { DEPLOY_WATCH_TIMER, DeployWatcher } from '../app/deploys/deploy-watcher';
import type { CoreContext, Feature } from './feature';

/**
 * Deploy watch (docs/deploy-watch.md): `POST /deploys` and GitHub `deployment_status` start a
 * watch of the service; its checks run on the shared timer engine (once across replicas,
 * resumed after a restart); `/incident watch` lists the watches. A breach opens an incident
 * linked to the deploy; the rollback feature proposes the rollback to the previous release.
 */
export function deployWatchFeature(core: CoreContext): Feature & { watcher: DeployWatcher | null } {
  const { config, redis, log: root, service, timers, signalSource, clock } = core;
  const log = root.child({ component: 'deploy-watch' });
  const watcher = signalSource
    ? new DeployWatcher({
        watches: new RedisDeployWatches(redis, config.env.REDIS_PREFIX),
        source: signalSource,
        service,
        rules: config.severityRules,
        timers,
        windowMs: config.deployWatch.windowMs,
        checkEveryMs: config.deployWatch.checkEveryMs,
        clock,
        log,
      })
    : null;
  return {
    name: 'deploy-watch',
    watcher,
    routes: deployRoutes({
      watcher,
      services: config.services.map((s) => s.name),
      webhookToken: config.env.ALERT_WEBHOOK_TOKEN,
      githubSecret: config.env.GITHUB_WEBHOOK_SECRET,
      maxBodyBytes: config.alerts.maxBodyBytes,
      log,
    }),
    timerHandlers: {
      [DEPLOY_WATCH_TIMER]: async (timer) => {
        const { service: name, watchId } = timer.payload as { service: string; watchId: string };
        await watcher?.check(name, watchId, timer.dueAt);
      },
    },
    install({ deps }) {
      deps.extensions.commands.watch = async (_parsed, ctx) => {
        if (!watcher) return ctx.reply(':construction: Deploy watch needs live signals: set signals.prometheus.url or PROMETHEUS_URL.');
        await ctx.reply(deployWatchList(await watcher.active(), clock()));
      };
    },
    async start() {
      // Said once at start, so an operator finds why GitHub's deliveries fail before GitHub does.
      if (!config.env.GITHUB_WEBHOOK_SECRET)
        log.warn('GITHUB_WEBHOOK_SECRET is not set: POST /webhooks/github answers 503 and GitHub deployments start no watch');
      if (!watcher)
        log.warn('deploy watch is off: it needs live signals (signals.prometheus.url or PROMETHEUS_URL); POST /deploys answers 503');
    },
  };
}
