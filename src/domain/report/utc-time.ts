/** Reports are read across time zones, so every time is written in UTC and says so. */

/** "14:02 UTC" */
export function utcClock(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 16)} UTC`;
}

/** "2026-11-21" */
export function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** "2026-11-21 14:02 UTC" */
export function utcDateTime(ms: number): string {
  return `${utcDate(ms)} ${utcClock(ms)}`;
}

/** "2026-11-21T14:02:07Z": machine-readable, second precision (evidence files). */
export function utcIso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
