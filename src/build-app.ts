import { SlackChannelSetup } from './adapters/outbound/slack/slack-channel-setup';
import { SlackRoleNotifier } from './adapters/outbound/slack/slack-role-notifier';
import { App, HTTPReceiver, SocketModeReceiver, webApi, type CustomRoute } from '@slack/bolt';
import type { Server } from 'node:http';
import { healthRoutes } from './adapters/inbound/http/health-routes';
import { incidentApiRoutes } from './adapters/inbound/http/incident-api-routes';
import { checkRedisConfig } from './adapters/outbound/redis/check-redis-config';
import { connectRedis, describeRedisTarget } from './adapters/outbound/redis/connect-redis';
import type { RedisClient } from './adapters/outbound/redis/key-space';
import { redisAddress, watchRedisHealth } from './adapters/outbound/redis/watch-redis-health';
import { localFileProbe } from './adapters/outbound/runners/local-file-probe';
import { checkSlackReferences } from './adapters/outbound/slack/check-slack-references';
import { findConfigWarnings } from './app/config-check/find-config-warnings';
import type { ConfigWarning } from './app/config-check/config-warning';
import { RedisIdempotency } from './adapters/outbound/redis/redis-idempotency';
import { RedisIncidentStore } from './adapters/outbound/redis/redis-incident-store';
import { RedisRollbackRecords } from './adapters/outbound/redis/redis-rollback-records';
import { RedisRateLimitHolds } from './adapters/outbound/redis/redis-rate-limit-holds';
import { RedisPostQueue } from './adapters/outbound/redis/redis-post-queue';
import type { QueuedPost } from './adapters/outbound/slack/status-update-outbox';
import { RedisStoreHealth } from './adapters/outbound/redis/redis-store-health';
import { boltLogger } from './adapters/inbound/slack/bolt-logger';
import { AppHomeRefresher } from './adapters/outbound/slack/app-home-refresher';
import { sharedRetryAfterFetch } from './adapters/outbound/slack/shared-retry-after-fetch';
import { registerAppHome } from './adapters/inbound/slack/handlers/app-home';
import { registerChannelMembers } from './adapters/inbound/slack/handlers/channel-members';
import { registerIncidentActions } from './adapters/inbound/slack/handlers/incident-actions';
import { registerIncidentCommand } from './adapters/inbound/slack/handlers/incident-command';
import { registerIncidentViews } from './adapters/inbound/slack/handlers/incident-views';
import { createSlackExtensions, type SlackDeps } from './adapters/inbound/slack/handlers/slack-deps';
import { registerTimelineShortcut } from './adapters/inbound/slack/handlers/timeline-shortcut';
import { guardSlackEndpoint } from './adapters/inbound/slack/gate/slack-request-gate';
import { SlackInstallation } from './adapters/outbound/slack/slack-installation';
import { SlackIncidentPublisher } from './adapters/outbound/slack/slack-incident-publisher';
import { routeSlackListeners } from './adapters/inbound/slack/slack-router';
import { RedisTimerEngine } from './adapters/outbound/timers/redis-timer-engine';
import type { TimerHandler } from './app/ports/timer-engine';
import { IncidentService } from './app/incident-service';
import { configuredSecrets } from './config/configured-secrets';
import { redactingFetch } from './adapters/outbound/slack/redacting-fetch';
import type { Config } from './config/load-config';
import { systemClock, type Clock } from './domain/clock';
import { createLogger, type Logger } from './logger';
import { requestIdFrom, runInRequest, currentRequestId } from './request-context';
import { createMetrics } from './metrics';
import { alertsFeature } from './features/alerts-feature';
import { slaFeature } from './features/sla-feature';
import { paperTrailFeature } from './features/paper-trail-feature';
import { rollbackFeature } from './features/rollback-feature';
import { signalsFeature } from './features/signals-feature';
import { signalChartsFeature } from './features/signal-charts-feature';
import { deployWatchFeature } from './features/deploy-watch-feature';
import { createSignalSource } from './adapters/outbound/prometheus/create-signal-source';
import { drillRollbackPlans, drillsFeature } from './features/drills-feature';
import type { CoreContext, Feature } from './features/feature';
import { SlackUserDirectory } from './adapters/outbound/slack/slack-user-directory';
import { RedisUserNames } from './adapters/outbound/redis/redis-user-names';

const SLACK_ENDPOINT = '/slack/events';
const UNHANDLED_ACK_MS = 2_500;
const LEARN_AT_START_MS = 3_000;

export interface BuildOptions {
  config: Config;
  clock?: Clock;
  logger?: Logger;
  /** Share a connection (tests); otherwise one is made from REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS. */
  redis?: RedisClient;
}

export interface IncidentBot {
  app: App;
  service: IncidentService;
  store: RedisIncidentStore;
  publisher: SlackIncidentPublisher;
  redis: RedisClient;
  log: Logger;
  timers: RedisTimerEngine;
  features: Feature[];
  /** Starts the HTTP server (or Socket Mode plus the HTTP routes); resolves with the bound port. */
  start(port?: number): Promise<number>;
  /**
   * Stops taking timer work and waits up to `drainMs` (default 2 s) for handlers in flight, a
   * running rollback among them, before closing. One still running after that is left to the
   * other replicas, which mark its outcome unknown.
   */
  stop(options?: { drainMs?: number }): Promise<void>;
}

/** The composition root: everything is built here from the validated config, nowhere else. */
export async function buildApp({ config, clock = systemClock, logger, redis: givenRedis }: BuildOptions): Promise<IncidentBot> {
  const { env } = config;
  const secrets = configuredSecrets(config);
  const log = logger ?? createLogger(env.LOG_LEVEL, undefined, secrets);
  const metrics = createMetrics();
  const redis = givenRedis ?? connectRedis(env);
  const single = !env.REDIS_CLUSTER_NODES && !env.REDIS_SENTINELS;
  watchRedisHealth(redis, single ? redisAddress(env.REDIS_URL) : describeRedisTarget(env), log.child({ component: 'redis' }));

  const store = new RedisIncidentStore(redis, env.REDIS_PREFIX, { secrets });
  const idempotency = new RedisIdempotency(redis, env.REDIS_PREFIX);
  const service = new IncidentService({ store, clock, log: log.child({ component: 'incidents' }), metrics, slaPolicy: config.slaPolicy });

  const timers = new RedisTimerEngine({ redis, prefix: env.REDIS_PREFIX, logger: log.child({ component: 'timers' }), clock });
  const rollbackRecords = new RedisRollbackRecords(redis, env.REDIS_PREFIX);
  const signalSource = createSignalSource(config.signals, log);
  // Read-only lookups: the client's own retries are safe here.
  const users = new SlackUserDirectory(
    new webApi.WebClient(env.SLACK_BOT_TOKEN, {
      slackApiUrl: env.SLACK_API_URL,
      timeout: 10_000,
      retryConfig: { retries: 1 },
      logger: boltLogger(log.child({ component: 'user-directory' })),
    }),
    log.child({ component: 'user-directory' }),
    { shared: new RedisUserNames(redis, env.REDIS_PREFIX) },
  );
  const core: CoreContext = {
    config,
    clock,
    log,
    metrics,
    redis,
    store,
    idempotency,
    service,
    timers,
    rollbackRecords,
    signalSource,
    users,
    drillPlans: drillRollbackPlans(config),
  };

  // Each capability is built from the core; the order is the order observers run in.
  const alerts = alertsFeature(core);
  const features: Feature[] = [
    alerts,
    slaFeature(core),
    rollbackFeature(core),
    paperTrailFeature(core),
    drillsFeature(core, alerts.intake),
    signalsFeature(core),
    signalChartsFeature(core),
    deployWatchFeature(core),
  ];

  const routes: CustomRoute[] = [
    ...healthRoutes(redis, metrics),
    ...incidentApiRoutes(service, env.API_TOKEN, log.child({ component: 'api' }), (id) => alerts.alertStore.counts(id)),
    ...features.flatMap((f) => f.routes ?? []),
  ];

  const boltLog = boltLogger(log.child({ component: 'bolt' }));
  // Every Web API client shares Slack's Retry-After with the other replicas through Redis.
  // ... and every text it sends redacted (secrets by value and by shape), whoever built it.
  const slackFetch = redactingFetch(
    sharedRetryAfterFetch({
      holds: new RedisRateLimitHolds(redis, env.REDIS_PREFIX, 'slack'),
      log: log.child({ component: 'slack-rate-limit' }),
      storeReady: () => redis.status === 'ready',
    }),
    secrets,
  );
  const socketMode = Boolean(env.SLACK_APP_TOKEN);
  const receiver = socketMode
    ? new SocketModeReceiver({
        appToken: env.SLACK_APP_TOKEN!,
        customRoutes: routes,
        installerOptions: { port: env.PORT, clientOptions: { slackApiUrl: env.SLACK_API_URL } },
        logger: boltLog,
      })
    : new HTTPReceiver({
        signingSecret: env.SLACK_SIGNING_SECRET ?? '',
        endpoints: SLACK_ENDPOINT,
        customRoutes: routes,
        logger: boltLog,
        processBeforeResponse: false,
        // A payload no listener acknowledges (an unknown shortcut) is answered before Slack's 3 s, not after.
        unhandledRequestTimeoutMillis: UNHANDLED_ACK_MS,
        unhandledRequestHandler: ({ response }) => {
          log.child({ component: 'bolt' }).warn('no listener acknowledged this Slack request; answered 200 with nothing');
          if (!response.headersSent) response.writeHead(200).end();
        },
      });

  const app = new App({
    token: env.SLACK_BOT_TOKEN,
    receiver,
    logger: boltLog,
    deferInitialization: true,
    // Bolt keeps per-conversation state by default; we keep all state in Redis and never read it.
    convoStore: false,
    clientOptions: {
      slackApiUrl: env.SLACK_API_URL,
      // Bounded retries: an outage must not hold a handler for Slack's default half hour.
      retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1000 },
      timeout: 10_000,
      fetch: slackFetch,
    },
  });
  // Every log line of a request carries its id: HTTP requests (alerts, API, Slack over HTTP)
  // from the server's listener, Socket Mode deliveries from the first middleware.
  if (receiver instanceof HTTPReceiver) {
    const handle = receiver.requestListener;
    receiver.requestListener = (req, res) => {
      const reqId = requestIdFrom(req.headers['x-request-id']);
      res.setHeader('x-request-id', reqId);
      return runInRequest(reqId, () => handle(req, res));
    };
  }
  app.use(async ({ next }) => (currentRequestId() ? next() : runInRequest(requestIdFrom(undefined), next)));
  // Learned at start from auth.test unless pinned in config; every Slack request is checked against it.
  const installation = new SlackInstallation(app.client, config.slack, log.child({ component: 'slack-installation' }));
  if (receiver instanceof HTTPReceiver) {
    guardSlackEndpoint(receiver, SLACK_ENDPOINT, {
      signingSecret: env.SLACK_SIGNING_SECRET ?? '',
      installation: () => installation.current(),
      log,
      metrics,
    });
  }
  app.error(async (error) => {
    log.child({ component: 'bolt' }).error({ err: error, code: (error as { code?: string }).code }, 'unhandled error in a Slack listener');
  });

  // Posts and channel creation are not idempotent: Slack may act before a 5xx or a timeout, and
  // the app client's automatic retry would then post twice. This client never retries by itself;
  // the publisher and the SLA notifier retry after looking for what already landed.
  const oneShotClient = new webApi.WebClient(env.SLACK_BOT_TOKEN, {
    slackApiUrl: env.SLACK_API_URL,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
    logger: boltLog,
    fetch: slackFetch,
  });
  const ownersOf = (name: string | null) => config.services.find((s) => s.name === name)?.owners ?? [];
  const channelSetup = new SlackChannelSetup(app.client, ownersOf, log.child({ component: 'slack-channel-setup' }), metrics, idempotency);
  const publisher = new SlackIncidentPublisher(
    app.client,
    service,
    idempotency,
    {
      incidentChannel: config.channels.incident_response,
      channelPrefix: config.channels.channel_prefix,
      createChannelByDefault: config.channels.create_incident_channel,
      minIntervalMs: config.alerts.slackMinIntervalMs,
      postClient: oneShotClient,
      retryMissingEveryMs: config.channels.announcement_retry,
      statusQueue: new RedisPostQueue<QueuedPost>(redis, env.REDIS_PREFIX, 'slack-status-queue'),
      channelSetup,
    },
    log.child({ component: 'slack-publisher' }),
    metrics,
  );
  // Home first: it only schedules a coalesced redraw, and must not wait behind paced announcement posts.
  const home = new AppHomeRefresher({
    redis,
    prefix: env.REDIS_PREFIX,
    service,
    log: log.child({ component: 'app-home' }),
    metrics,
    options: config.appHome,
  });
  home.attach(app.client);
  service.observe(home);
  service.observe(publisher);
  service.observe(channelSetup);
  service.observe(new SlackRoleNotifier(oneShotClient, log.child({ component: 'slack-roles' }), metrics));

  const deps: SlackDeps = { service, publisher, idempotency, config, log, extensions: createSlackExtensions() };
  const listeners = routeSlackListeners(app, log.child({ component: 'slack-router' }), {
    store: new RedisStoreHealth(redis),
    secrets,
  });
  registerIncidentCommand(listeners, deps);
  registerIncidentActions(listeners, deps);
  registerIncidentViews(listeners, deps);
  registerTimelineShortcut(listeners, deps);
  registerAppHome(listeners, home);
  registerChannelMembers(listeners, deps);
  for (const feature of features) feature.install?.({ app: listeners, publisher, channelSetup, deps });
  const timerHandlers: Record<string, TimerHandler> = Object.assign({}, ...features.map((f) => f.timerHandlers ?? {}));

  let server: Server | undefined;
  return {
    app,
    service,
    store,
    publisher,
    redis,
    log,
    timers,
    features,
    async start(port = env.PORT) {
      void checkRedisConfig(redis, log.child({ component: 'redis' })).catch(() => undefined);
      // The same checks as `incident-bot check-config`; warnings only, the bot starts anyway.
      const configLog = log.child({ component: 'config-check' });
      const warn = (w: ConfigWarning) => configLog.warn({ code: w.code, where: w.where }, `${w.where}: ${w.message}`);
      findConfigWarnings(config, localFileProbe).forEach(warn);
      if (env.SLACK_BOT_TOKEN)
        void checkSlackReferences(app.client, config).then(
          (ws) => ws.forEach(warn),
          () => undefined,
        );
      await app.init();
      // Bounded: a Slack that hangs at start must not hold the HTTP server (requests get 503 until known).
      await Promise.race([installation.learn(), new Promise((resolve) => setTimeout(resolve, LEARN_AT_START_MS).unref())]);
      if (socketMode) {
        await app.start();
      } else {
        server = (await app.start(port)) as Server;
      }
      const address = server?.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      log.info({ port: bound, mode: socketMode ? 'socket' : 'http' }, 'incident-bot started');
      // The severity order of open incidents (list, App Home) holds exactly the open ones: data
      // from before it existed, or written by an older replica, is placed now. Until then a
      // list shows what is already indexed.
      await store.reindexOpen().then(
        ({ placed, removed }) => log.debug({ placed, removed }, 'open incidents indexed by severity'),
        (error: unknown) => log.warn({ err: error }, 'indexing open incidents by severity failed; retried at the next start'),
      );
      for (const feature of features) await feature.start?.();
      // Timers that came due while every bot was down fire now, marked late.
      if (Object.keys(timerHandlers).length) timers.start(timerHandlers);
      home.start();
      // Announcements a crash or a Slack outage left unposted go out now.
      publisher.announceMissing().catch((error) => log.warn({ err: error }, 'announcement sweep failed'));
      publisher.attachOrphanChannels().catch((error) => log.warn({ err: error }, 'orphan channel sweep failed'));
      publisher.deliverQueuedUpdates().catch((error) => log.warn({ err: error }, 'queued status update sweep failed'));
      publisher.startRetrying();
      return bound;
    },
    async stop({ drainMs = 2_000 } = {}) {
      await timers.stop(drainMs).catch(() => undefined);
      for (const feature of [...features].reverse()) await feature.stop?.().catch(() => undefined);
      publisher.stop();
      home.stop();
      await app.stop().catch(() => undefined);
      if (!givenRedis) redis.disconnect();
    },
  };
}
