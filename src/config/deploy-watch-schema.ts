import { z } from 'zod';
import { parseDuration } from '../domain/duration';

const duration = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === null || ms <= 0) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration (use e.g. 30s, 30m)` });
    return z.NEVER;
  }
  return ms;
});

const DEFAULTS = { window: 30 * 60_000, check_every: 30_000 };

/**
 * `deploy_watch:`: after a deploy (POST /deploys, GitHub deployment_status) the service's
 * signals are checked every `check_every` for `window` (docs/deploy-watch.md). Its own pace,
 * not `signals.reevaluate_every`: the minutes after a deploy are when a bad release shows, and
 * a rollback decided 30 s sooner matters more there than for an incident already open.
 */
export const deployWatchSchema = z
  .strictObject({
    window: duration.refine((ms) => ms >= 1_000 && ms <= 24 * 3_600_000, 'must be between 1s and 24h').default(DEFAULTS.window),
    check_every: duration.refine((ms) => ms >= 500, 'must be at least 500ms').default(DEFAULTS.check_every),
  })
  .refine((w) => w.check_every <= w.window, { message: 'check_every must not be longer than window', path: ['check_every'] })
  .default(DEFAULTS);

export interface DeployWatchConfig {
  windowMs: number;
  checkEveryMs: number;
}

export function resolveDeployWatchConfig(file: { deploy_watch: z.output<typeof deployWatchSchema> }): DeployWatchConfig {
  return { windowMs: file.deploy_watch.window, checkEveryMs: file.deploy_watch.check_every };
}
