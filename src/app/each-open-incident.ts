import type { IncidentStore, OpenCursor } from './ports/incident-store';
import type { Incident } from '../domain/incident';

/** Sweeps read the open incidents this many at a time. */
export const OPEN_SWEEP_PAGE = 100;

/**
 * Calls `visit` with every open incident, oldest first, `pageSize` at a time: what start-up and
 * periodic sweeps use, so their memory and each Redis answer are a page, not the open set.
 * Returns how many were visited.
 */
export async function eachOpenIncident(
  store: Pick<IncidentStore, 'openAfter'>,
  visit: (page: Incident[]) => Promise<void>,
  pageSize = OPEN_SWEEP_PAGE,
): Promise<number> {
  let seen = 0;
  let cursor: OpenCursor | null = null;
  do {
    const page: { incidents: Incident[]; next: OpenCursor | null } = await store.openAfter(cursor, pageSize);
    if (page.incidents.length) await visit(page.incidents);
    seen += page.incidents.length;
    cursor = page.next;
  } while (cursor);
  return seen;
}
