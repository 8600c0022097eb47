import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { DEFAULT_SEVERITY_RULES } from '../domain/classifier/default-rules';
import { severityRulesSchema, type SeverityRules } from '../domain/classifier/rules-schema';
import type { Severity } from '../domain/severity';
import type { SlaPolicy } from '../domain/sla-policy';
import { envSchema, type Env } from './env-schema';
import { resolveSlaConfig, type SlaConfig } from './sla-schema';
import { resolveSignalsConfig, type SignalsConfig } from './signals-schema';
import {
  DEFAULT_SEVERITY_RULES_FILE,
  fileSchema,
  resolveSeverityLevels,
  type FileConfig,
  type ServiceConfig,
  type SeverityLevel,
} from './file-schema';

/** Everything the app is built from, validated once at the edge. */
export interface Config {
  env: Env;
  /** The workspace and app served, when pinned in config (otherwise learned from auth.test). */
  slack: FileConfig['slack'];
  channels: FileConfig['channels'];
  severities: Record<Severity, SeverityLevel>;
  slaPolicy: SlaPolicy;
  services: ServiceConfig[];
  /** The classifier's ordered rules (config/severity-rules.yml, or the built-in copy of it). */
  severityRules: SeverityRules;
  alerts: AlertsConfig;
  /** App Home republish pace and how long a viewer is kept up to date. */
  appHome: { refreshEveryMs: number; viewerTtlMs: number };
  /** Escalation contacts, PagerDuty settings, reminder timing (sla-schema.ts). */
  sla: SlaConfig;
  paperTrail: FileConfig['paper_trail'];
  gates: FileConfig['gates'];
  /** Live signals; null when no Prometheus URL is configured. */
  signals: SignalsConfig | null;
  /** Gate 3 by evidence: how long signals must stay under every rule after the alerts resolve. */
  recovery: { holdForMs: number };
  drills: FileConfig['drills'];
  /** The file it came from, for messages. */
  source: string;
}

export interface AlertsConfig {
  maxBodyBytes: number;
  flapWindowMs: number;
  /** At most one announcement post or update per channel per this interval. */
  slackMinIntervalMs: number;
  /** Alert deliveries processed at once; the rest wait, so a storm cannot crowd out Slack clicks. */
  maxConcurrentIntake: number;
  /** Deliveries allowed to wait; beyond this the sender gets 503 + Retry-After and retries. */
  maxQueuedIntake: number;
  /** Labels an incident's label summary shows first, in this order (`alerts.context_labels`). */
  contextLabels: string[];
  /** `alerts.related`: alerts join (or are offered) a person's recent incident of the same service. */
  related: { windowMs: number; mode: 'join' | 'offer' | 'off' };
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

function describe(prefix: string, error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.length
      ? issue.path
          .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
          .join('')
          .replace(/^\./, '')
      : '(root)';
    return `${prefix}${path}: ${issue.message}`;
  });
}

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv | Record<string, string | undefined>;
  readFile?: (path: string) => string;
  /** Config as an object instead of a file (tests). */
  file?: unknown;
  /** The file to read instead of CONFIG (`incident-bot check-config --config FILE`). */
  configPath?: string;
}

/** Reads the injected env and the YAML file; returns every bad key with its reason, never just the first. */
export function loadConfig({
  env = process.env,
  readFile = (p) => readFileSync(p, 'utf8'),
  file,
  configPath: givenPath,
}: LoadConfigOptions = {}): ConfigResult {
  const errors: string[] = [];
  // An empty variable (API_TOKEN= in an env file) means "not set", as people expect.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsedEnv = envSchema.safeParse(present);
  if (!parsedEnv.success) errors.push(...describe('env ', parsedEnv.error));
  const configPath = givenPath ?? (parsedEnv.success ? parsedEnv.data.CONFIG : (env.CONFIG ?? 'config/default.yml'));

  let raw: unknown = file;
  if (raw === undefined) {
    try {
      raw = parseYaml(readFile(configPath)) ?? {};
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message.split('\n')[0];
      errors.push(`${configPath}: ${reason}`);
    }
  }
  let fileConfig: FileConfig | undefined;
  if (raw !== undefined) {
    const parsedFile = fileSchema.safeParse(raw);
    if (parsedFile.success) fileConfig = parsedFile.data;
    else errors.push(...describe(`${configPath}: `, parsedFile.error));
  }
  // Checked even when the main file has errors, so one run lists every bad key.
  const rulesFile = (raw as { severity_rules_file?: unknown } | undefined)?.severity_rules_file;
  const severityRules =
    raw !== undefined
      ? loadSeverityRules(typeof rulesFile === 'string' ? rulesFile.trim() || undefined : undefined, readFile, errors)
      : undefined;
  if (errors.length || !parsedEnv.success || !fileConfig || !severityRules) return { ok: false, errors };

  const signals = resolveSignalsConfig(fileConfig, parsedEnv.data);
  const signalErrors = checkSignalChecks(fileConfig, signals, configPath);
  if (signalErrors.length) return { ok: false, errors: signalErrors };

  const severities = resolveSeverityLevels(fileConfig);
  const slaPolicy = Object.fromEntries(Object.entries(severities).map(([sev, level]) => [sev, level.sla])) as SlaPolicy;
  const { max_body_bytes, flap_window, slack_min_interval, max_concurrent_intake, max_queued_intake, context_labels, related } =
    fileConfig.alerts;
  const alerts: AlertsConfig = {
    maxBodyBytes: max_body_bytes,
    flapWindowMs: flap_window,
    slackMinIntervalMs: slack_min_interval,
    maxConcurrentIntake: max_concurrent_intake,
    maxQueuedIntake: max_queued_intake,
    contextLabels: context_labels,
    related: { windowMs: related.window, mode: related.mode },
  };
  return {
    ok: true,
    config: {
      env: parsedEnv.data,
      slack: fileConfig.slack,
      channels: fileConfig.channels,
      severities,
      slaPolicy,
      services: fileConfig.services,
      severityRules,
      alerts,
      appHome: { refreshEveryMs: fileConfig.app_home.refresh_every, viewerTtlMs: fileConfig.app_home.viewer_ttl },
      sla: resolveSlaConfig(fileConfig),
      paperTrail: fileConfig.paper_trail,
      gates: fileConfig.gates,
      signals,
      recovery: { holdForMs: fileConfig.recovery.hold_for },
      drills: fileConfig.drills,
      source: configPath,
    },
  };
}

/**
 * Reads and validates the severity rules YAML; errors name the file and the key path.
 * Without `severity_rules_file` a missing default file means the built-in rules (the same
 * content), so a deployment that copies only default.yml still classifies by the built-in thresholds (docs/glossary.md).
 */
function loadSeverityRules(given: string | undefined, readFile: (path: string) => string, errors: string[]): SeverityRules | undefined {
  const path = given ?? DEFAULT_SEVERITY_RULES_FILE;
  let raw: unknown;
  try {
    raw = parseYaml(readFile(path)) ?? {};
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    if (missing && given === undefined) return DEFAULT_SEVERITY_RULES;
    errors.push(`${path} (severity_rules_file): ${missing ? 'file not found' : (error as Error).message.split('\n')[0]}`);
    return undefined;
  }
  const parsed = severityRulesSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  errors.push(...describe(`${path}: `, parsed.error));
  return undefined;
}

/** What `npm start` needs beyond a valid config: the Slack credentials. */
export function missingSlackCredentials(env: Env): string[] {
  const missing: string[] = [];
  if (!env.SLACK_BOT_TOKEN) missing.push('SLACK_BOT_TOKEN (the bot token, xoxb-…, from OAuth & Permissions)');
  if (!env.SLACK_SIGNING_SECRET) missing.push('SLACK_SIGNING_SECRET (from Basic Information → App Credentials)');
  return missing;
}

/** Verification by signal needs a signal source, and a `signal:` must be one the service has. */
function checkSignalChecks(file: FileConfig, signals: SignalsConfig | null, configPath: string): string[] {
  const errors: string[] = [];
  file.services.forEach((service, i) => {
    service.rollback?.plan.verification.forEach((check, j) => {
      if (check.kind !== 'prometheus') return;
      const at = `${configPath}: services[${i}].rollback.verification[${j}]`;
      if (!signals) {
        errors.push(`${at}: a prometheus check needs signals.prometheus.url (or PROMETHEUS_URL)`);
        return;
      }
      const known = { ...signals.queries, ...(signals.serviceQueries[service.name] ?? {}) };
      if ('signal' in check.ref && !(check.ref.signal in known))
        errors.push(`${at}.signal: "${check.ref.signal}" is not a named signal (known: ${Object.keys(known).join(', ') || 'none'})`);
    });
  });
  return errors;
}
