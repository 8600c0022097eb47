/**
 * What to change so the timers that exist become the ones wanted. Keys carry the meaning
 * (severity, due time, the update they count from), so comparing keys is enough.
 * `existing` must be this incident's timers only (engine.list("<incidentId>:")).
 */
export function diffTimers<T extends { key: string }>(
  existing: readonly { key: string }[],
  wanted: readonly T[],
): { toSchedule: T[]; toCancel: string[] } {
  const have = new Set(existing.map((t) => t.key));
  const want = new Set(wanted.map((t) => t.key));
  return {
    toSchedule: wanted.filter((t) => !have.has(t.key)),
    toCancel: [...have].filter((key) => !want.has(key)),
  };
}
