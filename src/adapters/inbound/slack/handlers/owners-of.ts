import type { Config } from '../../../../config/load-config';

/** The configured owners of a service (none without one): let into a private incident on that service. */
export function ownersOf(config: Pick<Config, 'services'>, service: string | null): string[] {
  return service ? (config.services.find((s) => s.name === service)?.owners ?? []) : [];
}
