import { z } from 'zod';

const optionalText = z.string().trim().min(1).optional();
const url = z.string().trim().url();

export interface HostPort {
  host: string;
  port: number;
}

/** `host:port,host:port` (IPv6 hosts in brackets: `[::1]:7000`). */
const hostPorts = z
  .string()
  .trim()
  .min(1)
  .transform((text, ctx): HostPort[] => {
    const nodes: HostPort[] = [];
    for (const item of text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const match = /^(\[[^\]]+\]|[^:\s]+):(\d{1,5})$/.exec(item);
      const port = Number(match?.[2]);
      if (!match || port < 1 || port > 65535) {
        ctx.addIssue({ code: 'custom', message: `"${item}" is not host:port; expected host:port,host:port,…` });
        return z.NEVER;
      }
      nodes.push({ host: match[1]!.replace(/^\[|\]$/g, ''), port });
    }
    if (!nodes.length) {
      ctx.addIssue({ code: 'custom', message: 'expected host:port,host:port,…' });
      return z.NEVER;
    }
    return nodes;
  });

/** The DESIGN's environment contract. Only the Slack pair is required to talk to Slack. */
export const envSchema = z
  .object({
    SLACK_BOT_TOKEN: optionalText,
    SLACK_SIGNING_SECRET: optionalText,
    SLACK_APP_TOKEN: z.string().trim().startsWith('xapp-', 'must be an app-level token starting with xapp-').optional(),
    SLACK_API_URL: url.default('https://slack.com/api/'),
    REDIS_URL: z
      .string()
      .trim()
      .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
      .default('redis://127.0.0.1:6379'),
    /** A Redis Cluster, instead of REDIS_URL: any of its nodes; the rest are discovered. */
    REDIS_CLUSTER_NODES: hostPorts.optional(),
    /** Sentinels watching the primary named REDIS_SENTINEL_MASTER, instead of REDIS_URL. */
    REDIS_SENTINELS: hostPorts.optional(),
    REDIS_SENTINEL_MASTER: optionalText,
    /** Password of the Redis servers for REDIS_CLUSTER_NODES or REDIS_SENTINELS (REDIS_URL carries its own). */
    REDIS_PASSWORD: optionalText,
    // Braces would change which Cluster slot a key hashes to (see key-space.ts).
    REDIS_PREFIX: z
      .string()
      .trim()
      .min(1)
      .regex(/^[^{}]*$/, 'must not contain { or }')
      .default('incident-bot:'),
    GITHUB_TOKEN: optionalText,
    GITHUB_REPOSITORY: z
      .string()
      .trim()
      .regex(/^[\w.-]+\/[\w.-]+$/, 'must look like owner/repo')
      .optional(),
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
    /** Verifies GitHub `deployment_status` webhooks (X-Hub-Signature-256); without it POST /webhooks/github answers 503. */
    GITHUB_WEBHOOK_SECRET: optionalText,
    PORT: z.coerce.number().int('must be a whole number').min(0).max(65535).default(3000),
    CONFIG: z.string().trim().min(1).default('config/default.yml'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
    if (env.REDIS_CLUSTER_NODES && env.REDIS_SENTINELS) {
      ctx.addIssue({
        code: 'custom',
        path: ['REDIS_CLUSTER_NODES'],
        message: 'REDIS_CLUSTER_NODES and REDIS_SENTINELS are both set; set one (a Cluster or a Sentinel-managed primary)',
      });
    }
    if (env.REDIS_SENTINELS && !env.REDIS_SENTINEL_MASTER) {
      ctx.addIssue({
        code: 'custom',
        path: ['REDIS_SENTINEL_MASTER'],
        message: "REDIS_SENTINELS is set but REDIS_SENTINEL_MASTER is not; set it to the primary's name (sentinel monitor <name> …)",
      });
    }
    if (env.REDIS_SENTINEL_MASTER && !env.REDIS_SENTINELS) {
      ctx.addIssue({
        code: 'custom',
        path: ['REDIS_SENTINELS'],
        message: 'REDIS_SENTINEL_MASTER is set but REDIS_SENTINELS is not; set the sentinels as host:port,…',
      });
    }
  });

export type Env = z.infer<typeof envSchema>;
