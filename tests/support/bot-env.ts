import { withoutStorms } from './without-storms';
import { TEST_SIGNING_SECRET } from './slack-requests';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const ALERT_TOKEN = 'bench-alert-token';
export const BOT_API_TOKEN = 'bench-api-token';

/** Environment for a bot child process pointed at the Slack stand-in and its own Redis prefix. */
export function botEnv(opts: {
  slackApiUrl: string;
  prefix: string;
  port: number;
  file?: Record<string, unknown>;
}): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
    SLACK_API_URL: opts.slackApiUrl,
    REDIS_URL,
    REDIS_PREFIX: opts.prefix,
    ALERT_WEBHOOK_TOKEN: ALERT_TOKEN,
    API_TOKEN: BOT_API_TOKEN,
    PORT: String(opts.port),
    LOG_LEVEL: 'warn',
    BOT_FILE_CONFIG: JSON.stringify(withoutStorms(opts.file ?? { services: [{ name: 'checkout' }, { name: 'search' }] })),
  };
}
