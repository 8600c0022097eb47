import { z } from 'zod';
import { refuse, type Result } from '../result';
import { SEVERITIES, type Severity } from '../severity';
import { describeZodError } from './describe-zod-error';
import { type BooleanSignal, isBooleanSignal, SIGNAL_NAME_PATTERN, SIGNAL_NAMES } from './signals';

/** How soon a rollback is due (the rollback decision flowchart): critical → immediate, urgent, warning → planned, healthy → none. */
export const URGENCIES = ['immediate', 'urgent', 'planned', 'none'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const COMPARISON_OPS = ['>', '>=', '<', '<=', '==', '!='] as const;
export type ComparisonOp = (typeof COMPARISON_OPS)[number];

/** Targets a numeric threshold may be expressed as a multiple of ("p95 > 2× target"). */
export const RATIO_TARGETS = ['p95_target_ms'] as const;
export type RatioTarget = (typeof RATIO_TARGETS)[number];

/**
 * `signal` is a built-in name (SIGNAL_NAMES) or a custom one named under `signals.queries` /
 * `services[].signals` (numeric; the config loader refuses a name no query defines).
 */
export type SignalCondition =
  | { kind: 'signal'; signal: string; op: ComparisonOp; value: number; ratioOf: RatioTarget | null }
  | { kind: 'signal'; signal: BooleanSignal; op: '==' | '!='; value: boolean; ratioOf: null };
export type LabelCondition = { kind: 'label'; label: string; op: '==' | '!='; value: string };
export type Condition = SignalCondition | LabelCondition;

export interface SeverityRule {
  id: string;
  severity: Severity;
  urgency: Urgency;
  autoRollback: boolean;
  /** Explanation template; `{observations}`, `{service}` and `{severity}` are filled in. */
  reason: string;
  match: 'any' | 'all';
  conditions: Condition[];
}

export interface SeverityRules {
  defaults: { p95TargetMs: number };
  services: Record<string, { p95TargetMs: number }>;
  /** Keys are lower-case label values (`critical`, `warning`, `p1`); lookups lower-case too. */
  labelSeverityMap: Record<string, Severity>;
  /** Ordered: the first rule that matches decides. */
  rules: SeverityRule[];
}

const targetMs = z.number().positive().finite();

// One object shape for both condition kinds (instead of a union) so an error names the
// exact key, e.g. `rules[3].when.any[0].value`, rather than "no union member matched".
const conditionSchema = z
  .strictObject({
    signal: z
      .string()
      .regex(SIGNAL_NAME_PATTERN, `a signal is a built-in (${SIGNAL_NAMES.join(', ')}) or a name under signals.queries (e.g. queue_depth)`)
      .optional(),
    label: z.string().min(1).optional(),
    op: z.enum(COMPARISON_OPS),
    value: z.union([z.number().finite(), z.boolean(), z.string()]),
    ratio_of: z.enum(RATIO_TARGETS).optional(),
  })
  .superRefine((c, ctx) => {
    const problem = (message: string, path: string) => ctx.addIssue({ code: 'custom', message, path: [path] });
    if ((c.signal === undefined) === (c.label === undefined)) {
      problem('a condition needs exactly one of "signal" or "label"', c.signal === undefined ? 'signal' : 'label');
      return;
    }
    if (c.label !== undefined) {
      if (c.op !== '==' && c.op !== '!=') problem('label conditions support only "==" and "!="', 'op');
      if (typeof c.value !== 'string') problem('a label condition compares against a string', 'value');
      if (c.ratio_of !== undefined) problem('ratio_of applies to numeric signals only', 'ratio_of');
      return;
    }
    if (isBooleanSignal(c.signal!)) {
      if (c.op !== '==' && c.op !== '!=') problem(`${c.signal} is a boolean signal; use "==" or "!="`, 'op');
      if (typeof c.value !== 'boolean') problem(`${c.signal} is a boolean signal; value must be true or false`, 'value');
      if (c.ratio_of !== undefined) problem('ratio_of applies to numeric signals only', 'ratio_of');
    } else if (typeof c.value !== 'number') {
      problem(`${c.signal} is numeric; value must be a number`, 'value');
    }
  })
  .transform((c): Condition => {
    if (c.label !== undefined) return { kind: 'label', label: c.label, op: c.op as '==' | '!=', value: c.value as string };
    if (isBooleanSignal(c.signal!)) {
      return {
        kind: 'signal',
        signal: c.signal as BooleanSignal,
        op: c.op as '==' | '!=',
        value: c.value as boolean,
        ratioOf: null,
      };
    }
    return { kind: 'signal', signal: c.signal!, op: c.op, value: c.value as number, ratioOf: c.ratio_of ?? null };
  });

const whenSchema = z
  .strictObject({ any: z.array(conditionSchema).min(1).optional(), all: z.array(conditionSchema).min(1).optional() })
  .refine((w) => (w.any === undefined) !== (w.all === undefined), { message: 'use exactly one of "any" or "all"' });

const ruleSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and dashes'),
    severity: z.enum(SEVERITIES),
    urgency: z.enum(URGENCIES),
    auto_rollback: z.boolean().default(false),
    reason: z.string().min(1).default('{observations}'),
    when: whenSchema,
  })
  .transform(
    (r): SeverityRule => ({
      id: r.id,
      severity: r.severity,
      urgency: r.urgency,
      autoRollback: r.auto_rollback,
      reason: r.reason,
      match: r.when.any ? 'any' : 'all',
      conditions: (r.when.any ?? r.when.all)!,
    }),
  );

/** The YAML shape of `config/severity-rules.yml` (snake_case keys), parsed to `SeverityRules`. */
export const severityRulesSchema = z
  .strictObject({
    defaults: z.strictObject({ p95_target_ms: targetMs }).default({ p95_target_ms: 500 }),
    services: z.record(z.string().min(1), z.strictObject({ p95_target_ms: targetMs })).default({}),
    label_severity_map: z.record(z.string().min(1), z.enum(SEVERITIES)).default({}),
    rules: z.array(ruleSchema),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.rules.forEach((rule, index) => {
      if (seen.has(rule.id)) ctx.addIssue({ code: 'custom', message: `duplicate rule id "${rule.id}"`, path: ['rules', index, 'id'] });
      seen.add(rule.id);
    });
  })
  .transform(
    (file): SeverityRules => ({
      defaults: { p95TargetMs: file.defaults.p95_target_ms },
      services: Object.fromEntries(Object.entries(file.services).map(([name, s]) => [name, { p95TargetMs: s.p95_target_ms }])),
      labelSeverityMap: Object.fromEntries(Object.entries(file.label_severity_map).map(([label, sev]) => [label.toLowerCase(), sev])),
      rules: file.rules,
    }),
  );

/** Validates parsed YAML/JSON; the refusal names every bad key path (up to a few). */
export function parseSeverityRules(input: unknown): Result<{ rules: SeverityRules }> {
  const parsed = severityRulesSchema.safeParse(input);
  if (!parsed.success) return refuse('rules.invalid', `invalid severity rules: ${describeZodError(parsed.error, { max: 5 })}`);
  return { ok: true, rules: parsed.data };
}
