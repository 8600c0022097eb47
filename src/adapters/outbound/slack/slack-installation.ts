import type { webApi } from '@slack/bolt';
import type { Logger } from '../../../logger';
import type { Installation } from '../../inbound/slack/gate/check-installation';

const RETRY_EVERY_MS = 10_000;

/**
 * Which workspace and app this bot is: config (`slack.team_id`, `slack.app_id`) wins, the rest
 * is learned from `auth.test` (and `bots.info` for the app id, which auth.test does not always
 * carry). Until both are known, Slack requests are refused (fail closed) and the lookup is
 * tried again at most every 10 s.
 */
export class SlackInstallation {
  private teamId: string | null;
  private appId: string | null;
  private lastTry = 0;
  private learning: Promise<void> | null = null;

  constructor(
    private readonly client: webApi.WebClient,
    configured: { team_id?: string | undefined; app_id?: string | undefined },
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.teamId = configured.team_id ?? null;
    this.appId = configured.app_id ?? null;
  }

  /** Known now, or null (a lookup is started in the background when due). */
  current(): Installation | null {
    if (this.teamId && this.appId) return { teamId: this.teamId, appId: this.appId };
    if (this.now() - this.lastTry >= RETRY_EVERY_MS) void this.learn();
    return null;
  }

  learn(): Promise<void> {
    if (this.teamId && this.appId) return Promise.resolve();
    this.lastTry = this.now();
    this.learning ??= this.lookUp().finally(() => (this.learning = null));
    return this.learning;
  }

  private async lookUp(): Promise<void> {
    try {
      const auth = (await this.client.auth.test()) as { team_id?: string; app_id?: string; bot_id?: string };
      this.teamId ??= auth.team_id ?? null;
      if (!this.appId && auth.app_id) this.appId = auth.app_id;
      if (!this.appId && auth.bot_id) {
        const bot = (await this.client.bots.info({ bot: auth.bot_id })) as { bot?: { app_id?: string } };
        this.appId = bot.bot?.app_id ?? null;
      }
      if (this.teamId && this.appId) this.log.info({ teamId: this.teamId, appId: this.appId }, 'serving this Slack workspace and app only');
      else
        this.log.warn(
          { teamId: this.teamId, appId: this.appId },
          'Slack did not say which workspace or app this is; set slack.team_id and slack.app_id',
        );
    } catch (error) {
      this.log.warn(
        { err: (error as Error).message },
        'auth.test failed; Slack requests are refused until the workspace is known (or set slack.team_id and slack.app_id)',
      );
    }
  }
}
