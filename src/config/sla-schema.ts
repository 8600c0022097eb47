import { z } from 'zod';
import { parseDuration } from '../domain/duration';
import type { SlaPlanOptions } from '../domain/sla/sla-timer';

// Duplicated from file-schema.ts on purpose: importing it back would make the two schema files a cycle.
const duration = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration (use e.g. 30s, 15m, 4h, 7d)` });
    return z.NEVER;
  }
  return ms;
});

/** Who is mentioned at escalation levels 2 and 3: Slack user ids (U…/W…) or user group ids (S…). */
const contactId = z
  .string()
  .regex(/^([UW][A-Z0-9]{2,}|S[A-Z0-9]{2,})$/, 'must be a Slack user id (U0123ABCD) or user group id (S0123ABCD), never a name');

export const escalationContactsSchema = z
  .object({
    level2: z.array(contactId).default([]),
    level3: z.array(contactId).default([]),
  })
  .strict();

const ONCALL_REFRESH_DEFAULT_MS = 30 * 60_000;

const escalationPolicyId = z.string().regex(/^P[A-Z0-9]{5,}$/, 'must be a PagerDuty escalation policy id like PABC123');

/** `pagerduty:` — paging and on-call lookups; the routing key and token are secrets, so they stay in env. */
export const pagerDutySchema = z
  .object({
    /** Off: nothing is sent to PagerDuty even when PAGERDUTY_ROUTING_KEY is set. */
    enabled: z.boolean().default(true),
    /** Whose on-call is shown in the announcement when the service names none. */
    escalation_policy: escalationPolicyId.optional(),
    /** Severities that page on open and on a raise. */
    page_severities: z
      .array(z.enum(['P0', 'P1', 'P2', 'P3']))
      .min(1)
      .default(['P0', 'P1']),
    /** The on-call shown on an unresolved incident is looked up again this often (shifts change mid-incident). */
    oncall_refresh: duration
      .refine((ms) => ms >= 1_000, 'must be at least 1s (minutes in production: one REST call per open incident each time)')
      .default(ONCALL_REFRESH_DEFAULT_MS),
    /**
     * Invite the level-1 on-call into the incident's own channel, matched to a Slack account by the
     * email PagerDuty gives (users.lookupByEmail, scope users:read.email). Needs PAGERDUTY_TOKEN.
     */
    invite_oncall: z.boolean().default(true),
  })
  .strict()
  .default({ enabled: true, page_severities: ['P0', 'P1'], oncall_refresh: ONCALL_REFRESH_DEFAULT_MS, invite_oncall: true });

/** `sla:` — the parts of the SLA clocks that are not per severity. */
export const slaSettingsSchema = z
  .object({
    /** Warn this long before the resolution target (or 10% of it, whichever is larger; at most half). */
    resolution_warning: duration.optional(),
    /** Remind that the incident report is missing this long after resolve. */
    report_reminder_after: duration.optional(),
  })
  .strict()
  .default({});

/** Per-service additions to `services[]`. */
export const serviceSlaFields = {
  escalation: escalationContactsSchema.partial().strict().optional(),
  pagerduty_escalation_policy: escalationPolicyId.optional(),
};

export type EscalationContacts = { level2: string[]; level3: string[] };

/** What the SLA feature reads from the validated config. */
export interface SlaConfig {
  planOptions: SlaPlanOptions;
  escalation: EscalationContacts;
  pagerDuty: {
    enabled: boolean;
    escalationPolicy: string | null;
    pageSeverities: string[];
    onCallRefreshMs: number;
    /** Invite the level-1 on-call into the incident's channel. */
    inviteOnCall: boolean;
  };
  /** Per service name: contact overrides (a level given replaces the global list) and escalation policy. */
  services: Record<string, { escalation?: Partial<EscalationContacts>; escalationPolicy?: string }>;
}

export function resolveSlaConfig(file: {
  escalation: z.infer<typeof escalationContactsSchema>;
  pagerduty: z.infer<typeof pagerDutySchema>;
  sla: z.infer<typeof slaSettingsSchema>;
  services: { name: string; escalation?: Partial<EscalationContacts> | undefined; pagerduty_escalation_policy?: string | undefined }[];
}): SlaConfig {
  const planOptions: SlaPlanOptions = {};
  if (file.sla.resolution_warning !== undefined) planOptions.resolutionWarningBeforeMs = file.sla.resolution_warning;
  if (file.sla.report_reminder_after !== undefined) planOptions.reportMissingAfterMs = file.sla.report_reminder_after;
  return {
    planOptions,
    escalation: { level2: file.escalation.level2, level3: file.escalation.level3 },
    pagerDuty: {
      enabled: file.pagerduty.enabled,
      escalationPolicy: file.pagerduty.escalation_policy ?? null,
      pageSeverities: file.pagerduty.page_severities,
      onCallRefreshMs: file.pagerduty.oncall_refresh,
      inviteOnCall: file.pagerduty.invite_oncall,
    },
    services: Object.fromEntries(
      file.services.map((s) => [
        s.name,
        {
          ...(s.escalation ? { escalation: s.escalation } : {}),
          ...(s.pagerduty_escalation_policy ? { escalationPolicy: s.pagerduty_escalation_policy } : {}),
        },
      ]),
    ),
  };
}
