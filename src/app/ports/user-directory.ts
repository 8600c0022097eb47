import type { UserNames } from '../../domain/report/people-text';

/**
 * Who a user id is, for places that show names instead of mentions (the GitHub issue, the
 * report, the evidence bundle). A name that cannot be found is left out, and the renderers
 * show the bare id: a lookup failure never stops the paper trail.
 */
export interface UserDirectory {
  names(ids: readonly string[]): Promise<UserNames>;
}

/** No directory (no Slack, tests of pure parts): every person shows as their id. */
export const NO_USER_DIRECTORY: UserDirectory = { names: async () => ({}) };
