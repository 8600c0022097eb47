import { z } from 'zod';

const optionalText = z.string().trim().min(1).optional();
const url = z.string().trim().url();

/** The DESIGN's environment contract. Only the Slack pair is required to talk to Slack. */
export const envSchema = z.object({
  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: z.string().trim().startsWith('xapp-', 'must be an app-level token starting with xapp-').optional(),
  SLACK_API_URL: url.default('https://slack.com/api/'),
  REDIS_URL: z.string().trim().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').default('redis://127.0.0.1:6379'),
  REDIS_PREFIX: z.string().trim().min(1).default('incident-bot:'),
  GITHUB_TOKEN: optionalText,
  GITHUB_REPOSITORY: z.string().trim().regex(/^[\w.-]+\/[\w.-]+$/, 'must look like owner/repo').optional(),
  GITHUB_API_URL: url.default('https://api.github.com'),
  PAGERDUTY_TOKEN: optionalText,
  PAGERDUTY_ROUTING_KEY: optionalText,
  PAGERDUTY_API_URL: url.default('https://api.pagerduty.com'),
  PAGERDUTY_EVENTS_URL: url.default('https://events.pagerduty.com'),
  /** Extra CA (PEM file) trusted for the two PagerDuty hosts only: a TLS-inspecting proxy, or the test stand-in. */
  PAGERDUTY_CA_FILE: optionalText,
  ALERT_WEBHOOK_TOKEN: optionalText,
  PAGERDUTY_WEBHOOK_SECRET: optionalText,
  API_TOKEN: optionalText,
  /** Live signals: a Prometheus-compatible query API (overrides signals.prometheus.url) and its bearer token. */
  PROMETHEUS_URL: url.optional(),
  PROMETHEUS_TOKEN: optionalText,
  PORT: z.coerce.number().int('must be a whole number').min(0).max(65535).default(3000),
  CONFIG: z.string().trim().min(1).default('config/default.yml'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.infer<typeof envSchema>;
