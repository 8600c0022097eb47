import { DEFAULT_CONTEXT_LABELS } from '../domain/alert-context';
import { z } from 'zod';
import { parseDuration } from '../domain/duration';
import { DEFAULT_SEVERITY_DEFINITIONS, SEVERITIES, type Severity } from '../domain/severity';
import { DEFAULT_SLA_POLICY, type SlaTargets } from '../domain/sla-policy';
import { escalationContactsSchema, pagerDutySchema, serviceSlaFields, slaSettingsSchema } from './sla-schema';
import {
  readinessChecksSchema,
  rollbackLevelSchema,
  runnersSchema,
  verificationChecksSchema,
} from '../domain/rollback/rollback-plan-schema';
import type { ServiceRollbackConfig } from '../domain/rollback/service-rollback-config';
import { correlateSchema } from './correlate-schema';
import { recoverySchema, signalQueriesSchema, signalsSchema } from './signals-schema';
import { deployWatchSchema } from './deploy-watch-schema';

/** "15m", "1h", "7d" → milliseconds, with the bad value named in the error. */
export const durationSchema = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration (use e.g. 30s, 15m, 4h, 7d)` });
    return z.NEVER;
  }
  return ms;
});

const slackUserId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack user id like U0123ABCD (never a display name)');
const slackUserGroupId = z.string().regex(/^S[A-Z0-9]{2,}$/, 'must be a Slack user group id like S0123ABCD');

/**
 * `services[].rollback`: how to roll the service back and who may approve it. The runner
 * and check shapes are the runner layer's own schemas (src/domain/rollback/rollback-plan-schema.ts).
 */
const rollbackSchema = z
  .strictObject({
    level: rollbackLevelSchema.default('component'),
    runners: runnersSchema,
    readiness: readinessChecksSchema,
    verification: verificationChecksSchema,
    // Empty lists are allowed and mean nobody may approve: fail closed, never "anyone".
    approvers: z
      .strictObject({ users: z.array(slackUserId).default([]), groups: z.array(slackUserGroupId).default([]) })
      .default({ users: [], groups: [] }),
    two_approvers_for_p0: z.boolean().default(false),
    approval_ttl: durationSchema.default(15 * 60_000),
    auto_rollback_delay: durationSchema.default(60_000),
  })
  .transform(
    (r): ServiceRollbackConfig => ({
      plan: { level: r.level, runners: r.runners, readiness: r.readiness, verification: r.verification },
      approvers: r.approvers,
      twoApproversForP0: r.two_approvers_for_p0,
      approvalTtlMs: r.approval_ttl,
      autoRollbackDelayMs: r.auto_rollback_delay,
    }),
  );

const severityLevelSchema = z
  .object({
    name: z.string().min(1).optional(),
    definition: z.string().min(1).optional(),
    first_response: durationSchema.optional(),
    update_every: durationSchema.optional(),
    resolve_within: durationSchema.optional(),
    monitor_after: durationSchema.optional(),
    escalate: z.array(z.object({ level: z.number().int().min(2).max(9), after: durationSchema }).strict()).optional(),
  })
  .strict();

const serviceSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be lowercase letters, digits, - or _ (max 63)'),
    description: z.string().optional(),
    owners: z.array(slackUserId).default([]),
    user_group: slackUserGroupId.optional(),
    // SLA feature: who is mentioned at escalation levels 2/3, whose on-call is shown (sla-schema.ts).
    ...serviceSlaFields,
    rollback: rollbackSchema.optional(),
    // Live signals for this service only: `name: PromQL`, over the shared `signals.queries`.
    signals: signalQueriesSchema.optional(),
  })
  .strict();

const ALERT_DEFAULTS = {
  max_body_bytes: 1_048_576,
  flap_window: '5m',
  slack_min_interval: '1s',
  max_concurrent_intake: 16,
  max_queued_intake: 2000,
  related_window: '10m',
} as const;

/**
 * Related incidents: an alert for a service whose incident a person opened within `window`
 * joins it (`join`) or is offered to merge into it (`offer`); `/incident open` is offered the
 * alert-opened incident of the same service the same way (`join` and `offer`).
 */
const relatedSchema = z
  .object({
    window: durationSchema.default(parseDuration(ALERT_DEFAULTS.related_window)!),
    mode: z.enum(['join', 'offer', 'off']).default('offer'),
  })
  .strict()
  .default({ window: parseDuration(ALERT_DEFAULTS.related_window)!, mode: 'offer' });

/** Alert intake: body size limit (checked before parsing), flap window, Slack pacing per channel. */
const alertsSchema = z
  .object({
    max_body_bytes: z
      .number()
      .int('must be a whole number of bytes')
      .min(1024, 'must be at least 1024')
      .max(64 * 1_048_576, 'must be at most 64 MiB')
      .default(ALERT_DEFAULTS.max_body_bytes),
    flap_window: durationSchema.default(parseDuration(ALERT_DEFAULTS.flap_window)!),
    slack_min_interval: durationSchema.default(parseDuration(ALERT_DEFAULTS.slack_min_interval)!),
    max_concurrent_intake: z
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(256)
      .default(ALERT_DEFAULTS.max_concurrent_intake),
    max_queued_intake: z.number().int('must be a whole number').min(0).max(100_000).default(ALERT_DEFAULTS.max_queued_intake),
    context_labels: z
      .array(z.string().min(1).max(100))
      .max(20)
      .default([...DEFAULT_CONTEXT_LABELS]),
    related: relatedSchema,
    // Storm correlation (correlate-schema.ts, docs/alert-storms.md).
    correlate: correlateSchema,
  })
  .strict()
  .default({
    related: { window: parseDuration(ALERT_DEFAULTS.related_window)!, mode: 'offer' },
    max_body_bytes: ALERT_DEFAULTS.max_body_bytes,
    flap_window: parseDuration(ALERT_DEFAULTS.flap_window)!,
    slack_min_interval: parseDuration(ALERT_DEFAULTS.slack_min_interval)!,
    max_concurrent_intake: ALERT_DEFAULTS.max_concurrent_intake,
    max_queued_intake: ALERT_DEFAULTS.max_queued_intake,
    context_labels: [...DEFAULT_CONTEXT_LABELS],
    correlate: correlateSchema.parse(undefined),
  });

const GITHUB_CLIENT_DEFAULTS = {
  pacing: true,
  request_retries: 3,
  retry_base: '1s',
  request_timeout: '10s',
  max_retry_after: '60s',
} as const;
const githubClientDefaults = () => ({
  pacing: GITHUB_CLIENT_DEFAULTS.pacing,
  request_retries: GITHUB_CLIENT_DEFAULTS.request_retries,
  retry_base: parseDuration(GITHUB_CLIENT_DEFAULTS.retry_base)!,
  request_timeout: parseDuration(GITHUB_CLIENT_DEFAULTS.request_timeout)!,
  max_retry_after: parseDuration(GITHUB_CLIENT_DEFAULTS.max_retry_after)!,
});

/**
 * How the GitHub client behaves. The defaults follow GitHub's guidance (pace writes, wait
 * out rate limits); tests shorten them. Rarely worth changing in production.
 */
const githubClientSchema = z
  .object({
    pacing: z.boolean().default(GITHUB_CLIENT_DEFAULTS.pacing),
    request_retries: z.number().int('must be a whole number').min(0).max(10).default(GITHUB_CLIENT_DEFAULTS.request_retries),
    retry_base: durationSchema.default(parseDuration(GITHUB_CLIENT_DEFAULTS.retry_base)!),
    request_timeout: durationSchema.default(parseDuration(GITHUB_CLIENT_DEFAULTS.request_timeout)!),
    max_retry_after: durationSchema.default(parseDuration(GITHUB_CLIENT_DEFAULTS.max_retry_after)!),
  })
  .strict()
  .default(githubClientDefaults());

/** The paper trail: where reports land on GitHub. */
const paperTrailSchema = z
  .object({
    report_mode: z.enum(['commit', 'pull_request']).default('commit'),
    // Commit mode: the branch reports are committed to (the repository's default branch when unset).
    branch: z
      .string()
      .trim()
      .min(1)
      .regex(/^[\w./-]+$/, 'must be a branch name')
      .optional(),
    commit_evidence: z.boolean().default(false),
    // owner/name: where private incidents' issues and reports go (same GITHUB_TOKEN). Unset: they get none.
    private_repository: z
      .string()
      .trim()
      .regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/name, e.g. acme/incidents-private')
      .optional(),
    // e.g. https://acme.slack.com: links from the GitHub issue back to Slack.
    slack_workspace_url: z.string().trim().url().optional(),
    github: githubClientSchema,
  })
  .strict()
  .default({ report_mode: 'commit', commit_evidence: false, github: githubClientDefaults() });

/** Gates 3 and 4 (resolve needs validated recovery or an override; close needs summary and report). */
const gatesSchema = z
  .object({ enforce: z.boolean().default(true) })
  .strict()
  .default({ enforce: true });

/** Drills: rehearsals of the procedure from scenario files. Off unless a workspace turns them on. */
const drillsSchema = z
  .object({
    enabled: z.boolean().default(false),
    // A folder of scenario YAML files; the file name is what people type after `/incident drill`.
    scenarios: z.string().trim().min(1).default('examples/drills'),
    // How much faster than real time drills play when their scenario names no speed (the sandbox uses 60).
    speed: z.number().min(1, 'must be at least 1 (real time)').max(3600).default(1),
  })
  .strict()
  .default({ enabled: false, scenarios: 'examples/drills', speed: 1 });

/** The severity rules file used when `severity_rules_file` is not set. */
export const DEFAULT_SEVERITY_RULES_FILE = 'config/severity-rules.yml';

/** The shape of config/*.yml. Unknown top-level keys are refused so typos surface. */
export const fileSchema = z
  .object({
    // The workspace and app this bot serves; learned from auth.test when absent. Requests for others are refused.
    slack: z
      .object({
        team_id: z
          .string()
          .regex(/^[TE][A-Z0-9]{2,}$/, 'must be a Slack team id (T…)')
          .optional(),
        app_id: z
          .string()
          .regex(/^A[A-Z0-9]{2,}$/, 'must be a Slack app id (A…)')
          .optional(),
      })
      .strict()
      .default({}),
    channels: z
      .object({
        incident_response: z.string().min(1).default('#incident-response'),
        create_incident_channel: z.boolean().default(false),
        channel_prefix: z
          .string()
          .regex(/^[a-z0-9][a-z0-9_-]{0,19}$/, 'must be lowercase letters, digits, - or _ (max 20)')
          .default('inc'),
        // Announcements that could not be posted are tried again this often (after looking for them first).
        announcement_retry: durationSchema.refine((ms) => ms >= 100, 'must be at least 100ms').default(30_000),
      })
      .strict()
      .default({
        incident_response: '#incident-response',
        create_incident_channel: false,
        channel_prefix: 'inc',
        announcement_retry: 30_000,
      }),
    severities: z
      .object({ P0: severityLevelSchema, P1: severityLevelSchema, P2: severityLevelSchema, P3: severityLevelSchema })
      .partial()
      .strict()
      .default({}),
    // Severity rules live in their own file so `incident-bot classify --rules` can test them offline.
    severity_rules_file: z.string().trim().min(1).optional(),
    alerts: alertsSchema,
    // App Home stays live for whoever opened it recently.
    app_home: z
      .object({
        refresh_every: durationSchema.refine((ms) => ms >= 100, 'must be at least 100ms').default(30_000),
        viewer_ttl: durationSchema.default(30 * 60_000),
      })
      .strict()
      .default({ refresh_every: 30_000, viewer_ttl: 30 * 60_000 }),
    // SLA clocks, escalation and PagerDuty (sla-schema.ts, docs/sla.md).
    sla: slaSettingsSchema,
    escalation: escalationContactsSchema.default({ level2: [], level3: [] }),
    pagerduty: pagerDutySchema,
    paper_trail: paperTrailSchema,
    gates: gatesSchema,
    // Live signals (Prometheus) and gate 3 by evidence (signals-schema.ts, docs/signals.md).
    signals: signalsSchema,
    recovery: recoverySchema,
    // Deploy watch: signals checked after each deploy (deploy-watch-schema.ts, docs/deploy-watch.md).
    deploy_watch: deployWatchSchema,
    drills: drillsSchema,
    services: z
      .array(serviceSchema)
      .default([])
      .superRefine((services, ctx) => {
        const seen = new Set<string>();
        services.forEach((s, i) => {
          if (seen.has(s.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate service "${s.name}"` });
          seen.add(s.name);
        });
      }),
  })
  .strict();

export type FileConfig = z.infer<typeof fileSchema>;
export type ServiceConfig = z.infer<typeof serviceSchema>;

export interface SeverityLevel {
  name: string;
  definition: string;
  sla: SlaTargets;
}

/** Merges configured severity levels over the DESIGN defaults. */
export function resolveSeverityLevels(file: FileConfig): Record<Severity, SeverityLevel> {
  const levels = {} as Record<Severity, SeverityLevel>;
  for (const sev of SEVERITIES) {
    const given = file.severities[sev] ?? {};
    const base = DEFAULT_SLA_POLICY[sev];
    levels[sev] = {
      name: given.name ?? DEFAULT_SEVERITY_DEFINITIONS[sev].name,
      definition: given.definition ?? DEFAULT_SEVERITY_DEFINITIONS[sev].definition,
      sla: {
        firstResponseMs: given.first_response ?? base.firstResponseMs,
        updateEveryMs: given.update_every ?? base.updateEveryMs,
        resolveWithinMs: given.resolve_within ?? base.resolveWithinMs,
        monitorAfterMs: given.monitor_after ?? base.monitorAfterMs,
        escalations: given.escalate ? given.escalate.map((e) => ({ level: e.level, afterMs: e.after })) : base.escalations,
      },
    };
  }
  return levels;
}
