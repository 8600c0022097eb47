import { z } from 'zod';
import { parseDuration } from '../duration';
import {
  DEFAULT_GRACE_MS,
  DEFAULT_OUTPUT_CAP_BYTES,
  DEFAULT_SUCCESS_STATUSES,
  ROLLBACK_LEVELS,
  type CheckSpec,
  type RunnerSpec,
  type StatusRange,
} from './rollback-plan';

/**
 * YAML shape of `services[].rollback` parts: snake_case keys, durations as "30s"/"10m".
 * Objects are strict so a typo (`time_out:`) is reported at its key path instead of ignored.
 */

/** "30s", "10m", "1h30m" → milliseconds. Bare numbers are refused: "30" seconds or ms? */
export const durationSchema = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === null || ms <= 0) {
    ctx.addIssue({ code: 'custom', message: `expected a duration like "30s", "10m" or "1h30m", got "${text}"` });
    return z.NEVER;
  }
  return ms;
});

const STATUS_TEXT = /^([1-5])xx$|^(\d{3})-(\d{3})$/;

/** One status (202), a class ("2xx") or a range ("200-204"). */
const statusRangeSchema = z.union([z.number(), z.string()]).transform((value, ctx): StatusRange => {
  let range: StatusRange | null = null;
  if (typeof value === 'number') {
    range = Number.isInteger(value) ? { min: value, max: value } : null;
  } else {
    const m = STATUS_TEXT.exec(value.trim());
    if (m) range = m[1] ? { min: Number(m[1]) * 100, max: Number(m[1]) * 100 + 99 } : { min: Number(m[2]), max: Number(m[3]) };
  }
  if (!range || range.min < 100 || range.max > 599 || range.min > range.max) {
    ctx.addIssue({ code: 'custom', message: `expected a status like 200, "2xx" or "200-204", got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return range;
});

/** A single status/range or a list of them (YAML `expect_status: 200` reads better than `[200]`). */
export const statusListSchema = z.preprocess((v) => (Array.isArray(v) ? v : [v]), z.array(statusRangeSchema).min(1));

const nonEmpty = z.string().min(1);
const stringMap = z.record(z.string().min(1), z.string());
const argvSchema = z
  .array(z.string())
  .min(1)
  .refine((argv) => argv[0] !== '', 'argv[0] (the program) must not be empty');

export const rollbackLevelSchema = z.enum(Object.keys(ROLLBACK_LEVELS) as [keyof typeof ROLLBACK_LEVELS]);

const commandRunner = z.strictObject({
  kind: z.literal('command'),
  name: nonEmpty.optional(),
  argv: argvSchema,
  cwd: nonEmpty.optional(),
  env: stringMap.optional(),
  timeout: durationSchema.prefault('10m'),
  grace: durationSchema.optional(),
  output_cap_bytes: z
    .int()
    .min(1024)
    .max(16 * 1024 * 1024)
    .optional(),
});

const githubActionsRunner = z.strictObject({
  kind: z.literal('github_actions'),
  name: nonEmpty.optional(),
  owner: nonEmpty,
  repo: nonEmpty,
  workflow: z.union([nonEmpty, z.int().positive()]),
  ref: nonEmpty,
  inputs: stringMap.default({}),
  // The workflow input that receives the execution's fencing token; off unless named, since
  // GitHub refuses a dispatch with an input the workflow does not declare.
  fencing_input: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'must be a workflow input name')
    .optional(),
  timeout: durationSchema.prefault('30m'),
  poll: durationSchema.prefault('10s'),
});

const httpRunner = z.strictObject({
  kind: z.literal('http'),
  name: nonEmpty.optional(),
  url: z.url({ protocol: /^https?$/ }),
  headers: stringMap.optional(),
  body: z.record(z.string(), z.unknown()).optional(),
  success_statuses: statusListSchema.optional(),
  timeout: durationSchema.prefault('30s'),
});

export const runnerSpecSchema = z
  .discriminatedUnion('kind', [commandRunner, githubActionsRunner, httpRunner])
  .transform((r): RunnerSpec => {
    switch (r.kind) {
      case 'command':
        return {
          kind: 'command',
          name: r.name ?? r.argv[0]!,
          argv: r.argv,
          cwd: r.cwd,
          env: r.env,
          timeoutMs: r.timeout,
          graceMs: r.grace ?? DEFAULT_GRACE_MS,
          outputCapBytes: r.output_cap_bytes ?? DEFAULT_OUTPUT_CAP_BYTES,
        };
      case 'github_actions':
        return {
          kind: 'github_actions',
          name: r.name ?? `${r.owner}/${r.repo} ${r.workflow}`,
          owner: r.owner,
          repo: r.repo,
          workflow: r.workflow,
          ref: r.ref,
          inputs: r.inputs,
          ...(r.fencing_input ? { fencingInput: r.fencing_input } : {}),
          timeoutMs: r.timeout,
          pollMs: r.poll,
        };
      case 'http':
        return {
          kind: 'http',
          name: r.name ?? new URL(r.url).host,
          url: r.url,
          headers: r.headers,
          body: r.body,
          successStatuses: r.success_statuses ?? DEFAULT_SUCCESS_STATUSES,
          timeoutMs: r.timeout,
        };
    }
  });

/** Primary first, then fallbacks. */
export const runnersSchema = z.array(runnerSpecSchema).min(1, 'a rollback needs at least one runner');

const repeat = (defaultTimes: number, defaultInterval: string) => ({
  times: z.int().min(1).max(100).default(defaultTimes),
  interval: durationSchema.prefault(defaultInterval),
});

const checkSchemas = (defaultTimes: number, defaultInterval: string) => {
  const command = z.strictObject({
    kind: z.literal('command'),
    name: nonEmpty.optional(),
    argv: argvSchema,
    cwd: nonEmpty.optional(),
    timeout: durationSchema.prefault('30s'),
    ...repeat(defaultTimes, defaultInterval),
  });
  const fileExists = z.strictObject({
    kind: z.literal('file_exists'),
    name: nonEmpty.optional(),
    path: nonEmpty,
    ...repeat(defaultTimes, defaultInterval),
  });
  const httpFields = {
    name: nonEmpty.optional(),
    url: z.url({ protocol: /^https?$/ }),
    expect_status: statusListSchema.optional(),
    body_contains: z.string().min(1).optional(),
    body_matches: z.string().min(1).refine(isValidRegex, 'not a valid regular expression').optional(),
    timeout: durationSchema.prefault('10s'),
    ...repeat(defaultTimes, defaultInterval),
  };
  // Readiness calls its probe `http_get` (the readiness checklist's word), verification `http`; both are GETs.
  const httpGet = z.strictObject({ kind: z.literal('http_get'), ...httpFields });
  const http = z.strictObject({ kind: z.literal('http'), ...httpFields });
  // Verification by signal: one of signal/query, one of below/above, for the whole `for` window.
  const prometheus = z
    .strictObject({
      kind: z.literal('prometheus'),
      name: nonEmpty.optional(),
      signal: z
        .string()
        .regex(/^[a-z][a-z0-9_]*$/, 'a named signal from signals.queries, e.g. error_rate')
        .optional(),
      query: nonEmpty.optional(),
      below: z.number().finite().optional(),
      above: z.number().finite().optional(),
      for: durationSchema,
    })
    .superRefine((c, ctx) => {
      if ((c.signal === undefined) === (c.query === undefined))
        ctx.addIssue({
          code: 'custom',
          path: [c.signal === undefined ? 'signal' : 'query'],
          message: 'give exactly one of "signal" or "query"',
        });
      if ((c.below === undefined) === (c.above === undefined))
        ctx.addIssue({
          code: 'custom',
          path: [c.below === undefined ? 'below' : 'above'],
          message: 'give exactly one of "below" or "above"',
        });
    });
  return { command, fileExists, httpGet, http, prometheus };
};

function isValidRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

type RawCheck =
  | z.output<ReturnType<typeof checkSchemas>['prometheus']>
  | z.output<ReturnType<typeof checkSchemas>['command']>
  | z.output<ReturnType<typeof checkSchemas>['fileExists']>
  | z.output<ReturnType<typeof checkSchemas>['httpGet']>
  | z.output<ReturnType<typeof checkSchemas>['http']>;

function toCheckSpec(c: RawCheck): CheckSpec {
  if (c.kind === 'prometheus') {
    const ref = c.signal !== undefined ? { signal: c.signal } : { query: c.query! };
    const op = c.below !== undefined ? 'below' : 'above';
    const threshold = (c.below ?? c.above)!;
    const name = c.name ?? `${c.signal ?? 'query'} ${op} ${threshold} for ${Math.round(c.for / 1000)}s`;
    // One window, sampled inside the runner; repeating it would only make verification longer.
    return { kind: 'prometheus', name, ref, op, threshold, forMs: c.for, times: 1, intervalMs: 0 };
  }
  const base = { times: c.times, intervalMs: c.interval };
  switch (c.kind) {
    case 'command':
      return { kind: 'command', name: c.name ?? c.argv.join(' '), argv: c.argv, cwd: c.cwd, timeoutMs: c.timeout, ...base };
    case 'file_exists':
      return { kind: 'file_exists', name: c.name ?? `${c.path} exists`, path: c.path, ...base };
    case 'http_get':
    case 'http':
      return {
        kind: 'http',
        name: c.name ?? `GET ${c.url}`,
        url: c.url,
        expectStatuses: c.expect_status ?? DEFAULT_SUCCESS_STATUSES,
        bodyContains: c.body_contains,
        bodyMatches: c.body_matches,
        timeoutMs: c.timeout,
        ...base,
      };
  }
}

const readiness = checkSchemas(1, '5s');
/** Gate 2 probes: is it safe to start the rollback? One attempt each by default. */
export const readinessChecksSchema = z
  .array(z.discriminatedUnion('kind', [readiness.command, readiness.fileExists, readiness.httpGet]).transform(toCheckSpec))
  .default([]);

const verification = checkSchemas(3, '10s');
/** Gate 3 probes: did it work? Repeated (3 times, 10s apart by default) because one green probe proves little. */
export const verificationChecksSchema = z
  .array(z.discriminatedUnion('kind', [verification.command, verification.http, verification.prometheus]).transform(toCheckSpec))
  .default([]);
