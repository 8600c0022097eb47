import type { Incident } from '../../../domain/incident';

/**
 * The shape of the incident JSON in Redis, stored beside it in the hash's `schema` field.
 * A version that changes the shape raises this and adds a step to UPGRADES that turns the
 * previous shape into the new one, so it reads what the running version left behind (a
 * rolling upgrade, a restore from backup). Incidents written before the field existed have no
 * `schema`: they are schema 0, identical in shape to 1.
 * tests/integration/upgrades/ loads records as 0.1.0 wrote them and reads them.
 */
export const INCIDENT_SCHEMA = 1;

type Upgrade = (raw: Record<string, unknown>) => Record<string, unknown>;
const UPGRADES: Record<number, Upgrade> = {
  // 0 → 1: only the `schema` field was added beside the JSON.
  0: (raw) => raw,
};

/** An incident as stored (its JSON, the compare-and-set revision, the schema) → the domain's. */
export function decodeIncident(json: string, revision: string, schema: string | null | undefined): Incident {
  let raw = JSON.parse(json) as Record<string, unknown>;
  for (let v = schema ? Number(schema) : 0; v < INCIDENT_SCHEMA; v++) raw = UPGRADES[v]!(raw);
  // A newer schema (a newer replica during a rolling upgrade) is read as is: fields are only
  // ever added within a major version, and the domain ignores those it does not know.
  return { ...(raw as unknown as Incident), version: Number(revision) };
}
