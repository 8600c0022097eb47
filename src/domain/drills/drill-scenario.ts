import { z } from 'zod';
import { describeZodError } from '../classifier/describe-zod-error';
import type { Signals } from '../classifier/signals';
import { parseDuration } from '../duration';
import { refuse, type Result } from '../result';
import { ROLLBACK_LEVELS, type RollbackLevel } from '../rollback/rollback-plan';

/**
 * A drill: a rehearsal of the incident procedure with alerts that play out over time and a
 * rollback whose runners succeed or fail as written. Nothing real is rolled back and nobody
 * is paged unless the scenario says `page: true`. Times are drill time; `speed` divides them.
 */
export interface DrillScenario {
  name: string;
  title: string;
  description: string;
  service: string;
  page: boolean;
  speed: number | null;
  steps: DrillStep[];
  rollback: DrillRollback;
}

export type DrillStep =
  | { afterMs: number; kind: 'fire'; alert: string; summary: string; severityLabel: string | null; signals: Signals }
  | { afterMs: number; kind: 'resolve'; alert: string };

export interface DrillRollback {
  level: RollbackLevel;
  /** The first is the primary; the rest are fallbacks, tried in order as in a real plan. */
  runners: { name: string; outcome: 'success' | 'failure'; takesMs: number }[];
  verification: 'pass' | 'fail';
  /** Who may approve in the drill; empty: the rehearsed service's own approvers. */
  approvers: { users: string[]; groups: string[] };
}

const duration = z
  .string()
  .refine((text) => parseDuration(text) !== null, 'must be a duration like 30s, 5m or 1h30m')
  .transform((text) => parseDuration(text)!);
const signalValue = z.union([z.number().finite(), z.boolean()]);
const alertName = z.string().trim().min(1).max(120);

const fireSchema = z
  .object({
    alert: alertName,
    summary: z.string().max(2000).default(''),
    severity: z.string().trim().min(1).max(20).optional(),
    signals: z
      .record(z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'signal names are lowercase words like error_rate'), signalValue)
      .default({}),
  })
  .strict();

const stepSchema = z
  .object({ after: duration, fire: fireSchema.optional(), resolve: z.object({ alert: alertName }).strict().optional() })
  .strict()
  .refine(
    (step) => Boolean(step.fire) !== Boolean(step.resolve),
    'each step either fires or resolves an alert (exactly one of fire:, resolve:)',
  );

const runnerSchema = z
  .object({ name: z.string().trim().min(1).max(60), outcome: z.enum(['success', 'failure']), takes: duration.default(5_000) })
  .strict();

export const drillScenarioSchema = z
  .object({
    title: z.string().trim().min(1).max(150),
    description: z.string().max(3000).default(''),
    service: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be lowercase letters, digits, - or _ (max 63)'),
    page: z.boolean().default(false),
    speed: z.number().min(1, 'must be at least 1 (real time)').max(3600).optional(),
    steps: z.array(stepSchema).min(1, 'a drill needs at least one step'),
    rollback: z
      .object({
        level: z.enum(Object.keys(ROLLBACK_LEVELS) as [RollbackLevel, ...RollbackLevel[]]).default('component'),
        runners: z.array(runnerSchema).min(1, 'name at least the primary runner'),
        verification: z.enum(['pass', 'fail']).default('pass'),
        approvers: z
          .object({
            users: z.array(z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack user id like U0123ABCD')).default([]),
            groups: z.array(z.string().regex(/^S[A-Z0-9]{2,}$/, 'must be a Slack user group id like S0123ABCD')).default([]),
          })
          .strict()
          .default({ users: [], groups: [] }),
      })
      .strict(),
  })
  .strict()
  .superRefine((scenario, ctx) => {
    if (!scenario.steps.some((s) => s.fire))
      ctx.addIssue({ code: 'custom', path: ['steps'], message: 'no step fires an alert, so the drill would open nothing' });
    scenario.steps.forEach((step, i) => {
      // Steps play by time, not by where they stand in the file.
      if (
        step.resolve &&
        !scenario.steps.some((s, j) => s.fire?.alert === step.resolve!.alert && (s.after < step.after || (s.after === step.after && j < i)))
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['steps', i, 'resolve', 'alert'],
          message: `"${step.resolve.alert}" is resolved before any step fires it`,
        });
      }
    });
  });

/** Scenario names are file names: what people type after `/incident drill`. */
export const DRILL_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** Validates one scenario (its file already read as YAML). Every bad key is named, with the scenario's name in front. */
export function parseDrillScenario(name: string, raw: unknown): Result<{ scenario: DrillScenario }> {
  const parsed = drillScenarioSchema.safeParse(raw);
  if (!parsed.success) return refuse('drill.bad_scenario', `${name}: ${describeZodError(parsed.error, { max: 20 })}`);
  const s = parsed.data;
  const steps: DrillStep[] = s.steps
    .map(
      (step): DrillStep =>
        step.fire
          ? {
              afterMs: step.after,
              kind: 'fire',
              alert: step.fire.alert,
              summary: step.fire.summary,
              severityLabel: step.fire.severity ?? null,
              signals: step.fire.signals as Signals,
            }
          : { afterMs: step.after, kind: 'resolve', alert: step.resolve!.alert },
    )
    .sort((a, b) => a.afterMs - b.afterMs);
  return {
    ok: true,
    scenario: {
      name,
      title: s.title,
      description: s.description,
      service: s.service,
      page: s.page,
      speed: s.speed ?? null,
      steps,
      rollback: {
        level: s.rollback.level,
        runners: s.rollback.runners.map((r) => ({ name: r.name, outcome: r.outcome, takesMs: r.takes })),
        verification: s.rollback.verification,
        approvers: s.rollback.approvers,
      },
    },
  };
}
