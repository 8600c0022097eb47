import { z } from 'zod';
import { parseDuration } from '../domain/duration';

/** Storm correlation when nothing is configured: on, 5 new alert groups within 2 minutes, one storm for all. */
export const CORRELATE_DEFAULTS = { window: '2m', threshold: 5, by: [] as string[] } as const;

// Its own duration reader: file-schema.ts imports this file.
const durationSchema = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration (use e.g. 30s, 2m, 1h)` });
    return z.NEVER;
  }
  return ms;
});

/** What the intake uses: null when correlation is off (`alerts.correlate: false`). */
export interface CorrelateConfig {
  windowMs: number;
  threshold: number;
  /** Labels whose values must match for groups to join the same storm; empty: one storm for all. */
  by: string[];
}

/**
 * `alerts.correlate`: `false` turns storm correlation off; otherwise `threshold` or more new
 * alert groups within `window` (sharing the values of the `by` labels) open one parent incident.
 */
export const correlateSchema = z
  .union([
    z.literal(false),
    z
      .object({
        window: durationSchema
          .refine((ms) => ms >= 1000 && ms <= 3_600_000, 'must be between 1s and 1h')
          .default(parseDuration(CORRELATE_DEFAULTS.window)!),
        threshold: z
          .number()
          .int('must be a whole number')
          .min(2, 'must be at least 2 (use `alerts.correlate: false` to turn correlation off)')
          .max(10_000)
          .default(CORRELATE_DEFAULTS.threshold),
        by: z.array(z.string().min(1).max(100)).max(10).default([]),
      })
      .strict(),
  ])
  .default({ window: parseDuration(CORRELATE_DEFAULTS.window)!, threshold: CORRELATE_DEFAULTS.threshold, by: [] });

export function resolveCorrelate(value: z.infer<typeof correlateSchema>): CorrelateConfig | null {
  return value === false ? null : { windowMs: value.window, threshold: value.threshold, by: value.by };
}
