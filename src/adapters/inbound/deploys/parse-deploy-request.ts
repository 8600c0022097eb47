import { z } from 'zod';
import { describeZodError } from '../../../domain/classifier/describe-zod-error';
import type { Deploy } from '../../../domain/deploys/deploy-watch';
import { refuse, type Result } from '../../../domain/result';

/**
 * Release names as deploy tools write them (`v42`, `2026.12.01-3`, `a1b2c3d`, `refs/tags/v42`).
 * Narrow on purpose: the release goes into rollback argv (`{previous_release}`) and into Slack.
 */
export const releaseSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._+\-/:@]*$/, 'use letters, digits and . _ + - / : @ (e.g. v42)');

const environmentSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits and . _ - (e.g. production)');

/** The body of `POST /deploys`. */
const deployRequestSchema = z.strictObject({
  service: z.string().trim().min(1, 'must not be empty').max(63),
  release: releaseSchema,
  previous_release: releaseSchema,
  environment: environmentSchema.optional(),
});

export type ServiceCheck = (name: string) => Result<object>;

/** `{ service, release, previous_release, environment? }` → a Deploy, or a refusal naming the field (or the unknown service). */
export function parseDeployRequest(body: unknown, knownService: ServiceCheck): Result<{ deploy: Deploy }> {
  const parsed = deployRequestSchema.safeParse(body);
  if (!parsed.success) return refuse('deploy.invalid', describeZodError(parsed.error, { max: 5 }));
  const known = knownService(parsed.data.service);
  if (!known.ok) return known;
  return {
    ok: true,
    deploy: {
      service: parsed.data.service,
      release: parsed.data.release,
      previousRelease: parsed.data.previous_release,
      environment: parsed.data.environment ?? null,
      source: 'api',
    },
  };
}

/** The refusal for a service the config does not name: `service: "chekout" is not a configured service (known: checkout, search)`. */
export function serviceChecker(services: readonly string[]): ServiceCheck {
  return (name) =>
    services.includes(name)
      ? { ok: true }
      : refuse(
          'deploy.unknown_service',
          `service: ${JSON.stringify(name.slice(0, 63))} is not a configured service (known: ${services.join(', ') || 'none'})`,
        );
}
