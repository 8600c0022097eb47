import type { Config } from './load-config';

const SECRET_ENV = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'GITHUB_TOKEN',
  'PAGERDUTY_TOKEN',
  'PAGERDUTY_ROUTING_KEY',
  'ALERT_WEBHOOK_TOKEN',
  'PAGERDUTY_WEBHOOK_SECRET',
  'API_TOKEN',
  'PROMETHEUS_TOKEN',
  'GITHUB_WEBHOOK_SECRET',
] as const;

/**
 * Every secret the config holds, redacted by value wherever text is logged, stored or sent:
 * the credentials in the environment, and the env values and headers given to rollback runners.
 */
export function configuredSecrets(config: Pick<Config, 'env' | 'services'>): string[] {
  const env = config.env as Record<string, unknown>;
  const fromEnv = SECRET_ENV.map((name) => env[name]).filter((v): v is string => typeof v === 'string' && v.length > 0);
  const fromRunners = config.services.flatMap((s) =>
    (s.rollback?.plan.runners ?? []).flatMap((r) => [
      ...Object.values((r as { env?: Record<string, string> }).env ?? {}),
      ...Object.values((r as { headers?: Record<string, string> }).headers ?? {}).flatMap((h) => [h, h.replace(/^\S+\s+/, '')]),
    ]),
  );
  return [...new Set([...fromEnv, ...fromRunners])];
}
