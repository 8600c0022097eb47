import type { CustomRoute } from '@slack/bolt';
import type { RedisIdempotency } from '../adapters/outbound/redis/redis-idempotency';
import type { RedisIncidentStore } from '../adapters/outbound/redis/redis-incident-store';
import type { RedisRollbackRecords } from '../adapters/outbound/redis/redis-rollback-records';
import type { SlackDeps } from '../adapters/inbound/slack/handlers/slack-deps';
import type { SlackChannelSetup } from '../adapters/outbound/slack/slack-channel-setup';
import type { SlackIncidentPublisher } from '../adapters/outbound/slack/slack-incident-publisher';
import type { SlackListeners } from '../adapters/inbound/slack/slack-router';
import type { TimerEngine, TimerHandler } from '../app/ports/timer-engine';
import type { IncidentService } from '../app/incident-service';
import type { SignalSource } from '../app/ports/signal-source';
import type { RollbackPlans } from '../app/ports/rollback-messenger';
import type { Config } from '../config/load-config';
import type { Clock } from '../domain/clock';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { UserDirectory } from '../app/ports/user-directory';
import type { RedisClient } from '../adapters/outbound/redis/key-space';

/** What every capability is built from: the validated config and the shared core. */
export interface CoreContext {
  config: Config;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  redis: RedisClient;
  store: RedisIncidentStore;
  idempotency: RedisIdempotency;
  service: IncidentService;
  timers: TimerEngine;
  /** The rollback paper trail (decisions, executions, verifications), shared by rollback and report. */
  rollbackRecords: RedisRollbackRecords;
  /** Live signals (Prometheus); null when not configured. */
  signalSource: SignalSource | null;
  /** Who a Slack user id is, for the GitHub issue and the report (names, never `@id`). */
  users: UserDirectory;
  /** Rollback plans of drill incidents (simulated runners), when drills are on. */
  drillPlans?: RollbackPlans;
}

/** Available once the Slack app exists. */
export interface SlackContext {
  /** Register listeners here (Bolt's methods; actions and views routed by id). */
  app: SlackListeners;
  publisher: SlackIncidentPublisher;
  /** Incident channels' topic, bookmarks and members (the report bookmark among them). */
  channelSetup: SlackChannelSetup;
  deps: SlackDeps;
}

/**
 * One capability (alerts, SLA clocks, rollbacks, paper trail) wired into the app. The
 * composition root builds each from the core, then: its routes go on the bot's server,
 * install() registers its Slack listeners and incident observers, its timer handlers run
 * on the shared timer engine, start()/stop() follow the app's.
 */
export interface Feature {
  readonly name: string;
  routes?: CustomRoute[];
  timerHandlers?: Record<string, TimerHandler>;
  install?(slack: SlackContext): void;
  start?(): Promise<void>;
  stop?(): Promise<void>;
}

export type FeatureFactory = (core: CoreContext) => Feature;
