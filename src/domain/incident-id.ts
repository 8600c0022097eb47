/** Incident ids look like INC-20261121-001: UTC day plus a per-day counter that is never reused. */
export const INCIDENT_ID_PATTERN = /^INC-\d{8}-\d{3,}$/;

export function dayKey(atMs: number): string {
  return new Date(atMs).toISOString().slice(0, 10).replaceAll('-', '');
}

export function formatIncidentId(day: string, sequence: number): string {
  return `INC-${day}-${String(sequence).padStart(3, '0')}`;
}

export function isIncidentId(value: string): boolean {
  return INCIDENT_ID_PATTERN.test(value);
}

/** Accepts the id in any case ("inc-20261121-001") and returns the canonical form, or null. */
export function normalizeIncidentId(value: string): string | null {
  const upper = value.trim().toUpperCase();
  return isIncidentId(upper) ? upper : null;
}
