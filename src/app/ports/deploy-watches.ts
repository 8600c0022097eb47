import type { DeployWatch } from '../../domain/deploys/deploy-watch';

/**
 * Where deploy watches are kept (Redis): one current watch per service, so a second deploy of
 * the service replaces the first, and a restart picks every watch up where it was.
 */
export interface DeployWatches {
  /** A new, never reused watch id (`DW-17`). */
  nextId(): Promise<string>;
  /** The service's current watch (watching, breached, or the last one ended). */
  current(service: string): Promise<DeployWatch | null>;
  /**
   * Writes `next` as the service's current watch if the stored one still has `expectedVersion`
   * (null: there is none). Returns the stored watch (version bumped), or null when someone else
   * wrote first (read again and decide again).
   */
  put(next: DeployWatch, expectedVersion: number | null): Promise<DeployWatch | null>;
  /** Every service's current watch. */
  all(): Promise<DeployWatch[]>;
}
