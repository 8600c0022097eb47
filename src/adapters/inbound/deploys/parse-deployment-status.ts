import { z } from 'zod';
import { describeZodError } from '../../../domain/classifier/describe-zod-error';
import type { Deploy } from '../../../domain/deploys/deploy-watch';
import { refuse, type Result } from '../../../domain/result';
import { releaseSchema, type ServiceCheck } from './parse-deploy-request';

export const DEPLOYMENT_REFUSAL = { ignored: 'deploy.ignored', invalid: 'deploy.invalid' } as const;

/** What the bot reads of a GitHub `deployment_status` event (the rest is ignored). */
const deploymentStatusSchema = z.object({
  deployment_status: z.object({ state: z.string(), environment: z.string().nullish() }),
  deployment: z.object({
    id: z.number(),
    ref: z.string().nullish(),
    sha: z.string().nullish(),
    environment: z.string().nullish(),
    // The deployer's own data: a JSON object, or (older API clients) a JSON string of one.
    payload: z.union([z.record(z.string(), z.unknown()), z.string()]).nullish(),
  }),
  repository: z.object({ name: z.string() }),
});

const deployPayloadSchema = z.object({
  service: z.string().trim().min(1).max(63).optional(),
  release: releaseSchema.optional(),
  previous_release: releaseSchema.optional(),
});

/**
 * A GitHub `deployment_status` event → the deploy to watch. Only `success` starts a watch
 * (`pending`, `in_progress`, `failure`… are ignored with a reason). Read from the deployment:
 * - service: `deployment.payload.service`, else the repository's name;
 * - release: `deployment.payload.release`, else `deployment.ref`;
 * - previous_release: `deployment.payload.previous_release`, else the release of the
 *   service's last watched deploy (`lastRelease`); without either it is refused.
 */
export async function parseDeploymentStatus(
  body: unknown,
  knownService: ServiceCheck,
  lastRelease: (service: string) => Promise<string | null>,
): Promise<Result<{ deploy: Deploy }>> {
  const parsed = deploymentStatusSchema.safeParse(body);
  if (!parsed.success) return refuse(DEPLOYMENT_REFUSAL.invalid, describeZodError(parsed.error, { max: 5 }));
  const { deployment_status: status, deployment, repository } = parsed.data;
  if (status.state !== 'success')
    return refuse(
      DEPLOYMENT_REFUSAL.ignored,
      `deployment_status state "${status.state.slice(0, 30)}": only "success" starts a deploy watch`,
    );
  let raw: unknown = deployment.payload ?? {};
  if (typeof raw === 'string') {
    try {
      raw = raw.trim() ? JSON.parse(raw) : {};
    } catch {
      return refuse(DEPLOYMENT_REFUSAL.invalid, 'deployment.payload: not a JSON object');
    }
  }
  const payload = deployPayloadSchema.safeParse(raw);
  if (!payload.success) return refuse(DEPLOYMENT_REFUSAL.invalid, describeZodError(payload.error, { prefix: ['deployment', 'payload'] }));
  const service = payload.data.service ?? repository.name;
  const known = knownService(service);
  if (!known.ok) return known;
  const release = payload.data.release ?? releaseSchema.safeParse(deployment.ref ?? '').data;
  if (!release)
    return refuse(DEPLOYMENT_REFUSAL.invalid, 'deployment.payload.release: required (deployment.ref is not a release name either)');
  const previousRelease = payload.data.previous_release ?? (await lastRelease(service));
  if (!previousRelease)
    return refuse(
      DEPLOYMENT_REFUSAL.invalid,
      `deployment.payload.previous_release: required (no earlier deploy of ${service} is known to roll back to)`,
    );
  const environment = status.environment ?? deployment.environment ?? null;
  return {
    ok: true,
    deploy: { service, release, previousRelease, environment: environment ? environment.slice(0, 64) : null, source: 'github' },
  };
}
