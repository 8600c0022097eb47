import type { DrillScenario } from '../../domain/drills/drill-scenario';
import type { Result } from '../../domain/result';

/** Where drill scenarios are kept (a folder of YAML files). */
export interface DrillScenarios {
  /** Names people can type after `/incident drill`, sorted. */
  names(): Promise<string[]>;
  /** One scenario, or a refusal: unknown name (listing the known ones) or a malformed file (every bad key named). */
  load(name: string): Promise<Result<{ scenario: DrillScenario }>>;
}
