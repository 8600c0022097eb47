import type { webApi } from '@slack/bolt';
import type { IncidentObserver } from '../../../app/ports/incident-observer';
import type { IncidentService } from '../../../app/incident-service';
import type { Logger } from '../../../logger';
import type { Metrics } from '../../../metrics';
import { describeSlackError } from './slack-errors';
import { appHomeView, LIST_PAGE_SIZE } from './views/incident-list-view';
import type { RedisClient } from '../redis/key-space';
import { seenBy } from '../../../domain/private-incident';

export interface AppHomeRefresherOptions {
  /** At most one republish per this interval; also the pace at which countdowns and breaches move on. */
  refreshEveryMs: number;
  /** Someone who opened the Home tab within this long is kept up to date. */
  viewerTtlMs: number;
}

// views.publish is Slack's Tier 4 (100+ a minute): one pass never publishes to more people than this.
const MAX_VIEWERS_PER_PASS = 100;

/**
 * App Home stays live for the people looking at it: opening the tab publishes it and records
 * the viewer in Redis (shared by replicas); any incident change, and a periodic tick for the
 * countdowns, republish it to everyone who opened it within viewerTtlMs, coalesced to one pass
 * per refreshEveryMs. Slack errors are logged and counted; nothing here throws into a change.
 */
export class AppHomeRefresher implements IncidentObserver {
  readonly name = 'app-home';
  private client: webApi.WebClient | null = null;
  private pending: NodeJS.Timeout | null = null;
  private ticker: NodeJS.Timeout | null = null;
  private lastPassAt = 0;

  constructor(
    private readonly deps: {
      redis: RedisClient;
      prefix: string;
      service: IncidentService;
      log: Logger;
      metrics: Metrics;
      options: AppHomeRefresherOptions;
    },
  ) {}

  private get key(): string {
    return `${this.deps.prefix}home:viewers`;
  }

  attach(client: webApi.WebClient): void {
    this.client = client;
  }

  /** The tab was opened: publish it now and keep this person up to date. */
  async viewed(userId: string): Promise<void> {
    await this.deps.redis.zadd(this.key, this.deps.service.now(), userId);
    await this.publish([userId]);
  }

  async opened(): Promise<void> {
    this.schedule();
  }

  async changed(): Promise<void> {
    this.schedule();
  }

  start(): void {
    this.ticker = setInterval(() => this.schedule(), Math.max(this.deps.options.refreshEveryMs, 1_000));
    this.ticker.unref();
  }

  stop(): void {
    if (this.ticker) clearInterval(this.ticker);
    if (this.pending) clearTimeout(this.pending);
    this.ticker = this.pending = null;
  }

  /** One pass soon: right away if the last was long enough ago, else at the end of the interval. */
  private schedule(): void {
    if (this.pending || !this.client) return;
    const wait = Math.max(0, this.lastPassAt + this.deps.options.refreshEveryMs - Date.now());
    this.pending = setTimeout(() => {
      this.pending = null;
      this.lastPassAt = Date.now();
      this.refreshViewers().catch((error: unknown) => this.deps.log.warn({ err: error }, 'App Home refresh failed'));
    }, wait);
    this.pending.unref();
  }

  private async refreshViewers(): Promise<void> {
    const since = this.deps.service.now() - this.deps.options.viewerTtlMs;
    await this.deps.redis.zremrangebyscore(this.key, '-inf', `(${since}`);
    const viewers = await this.deps.redis.zrevrangebyscore(this.key, '+inf', since, 'LIMIT', 0, MAX_VIEWERS_PER_PASS);
    if (viewers.length) await this.publish(viewers);
  }

  private async publish(users: string[]): Promise<void> {
    if (!this.client) return;
    const { service, metrics, log } = this.deps;
    const { incidents, total } = await service.openPage(LIST_PAGE_SIZE);
    const open = incidents.map((incident) => ({ incident, sla: service.sla(incident) }));
    const now = service.now();
    for (const user of users) {
      // Each person sees a private incident's title only if they are in it.
      const view = appHomeView(
        open.map((item) => ({ ...item, incident: seenBy(item.incident, user) })),
        now,
        total,
      );
      try {
        await this.client.views.publish({ user_id: user, view: view });
      } catch (error) {
        const failure = describeSlackError(error);
        metrics.slackErrors.inc({ method: 'views.publish', error: failure.code });
        log.warn({ user, error: failure.code }, `App Home could not be published: ${failure.userMessage}`);
      }
    }
  }
}
