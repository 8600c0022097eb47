import type { OnCallPerson } from '../../../app/ports/pager';

/**
 * GET /oncalls answer (REST OpenAPI `Oncall`) → people by level. With include[]=users the user is a
 * full User (name, email); without it a reference whose summary is the name. A person on several
 * schedules of the same level appears once.
 */
export function parseOnCalls(data: unknown): OnCallPerson[] {
  const list = (data as { oncalls?: unknown } | null)?.oncalls;
  if (!Array.isArray(list)) return [];
  const seen = new Set<string>();
  const people: OnCallPerson[] = [];
  for (const entry of list as (Record<string, unknown> | null)[]) {
    const user = entry?.user as Record<string, unknown> | undefined;
    const level = Number(entry?.escalation_level);
    if (!user || !Number.isInteger(level)) continue;
    const name = String(user.name ?? user.summary ?? user.id ?? 'unknown');
    const email = typeof user.email === 'string' ? user.email : null;
    const id = `${level}:${String(user.id ?? name)}`;
    if (seen.has(id)) continue;
    seen.add(id);
    people.push({ name, email, level });
  }
  return people.sort((a, b) => a.level - b.level || a.name.localeCompare(b.name));
}
