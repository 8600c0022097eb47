/** Severity levels P0..P3 (the incident response plan; docs/glossary.md). P0 is the most severe. */
export const SEVERITIES = ['P0', 'P1', 'P2', 'P3'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

/** Lower rank = more severe; sorts P0 first. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function isMoreSevere(a: Severity, than: Severity): boolean {
  return severityRank(a) < severityRank(than);
}

/** Default one-line definitions (the incident response plan); config may override the wording. */
export const DEFAULT_SEVERITY_DEFINITIONS: Record<Severity, { name: string; definition: string }> = {
  P0: { name: 'Critical', definition: 'Production down, data loss, security breach, corruption or >50% failure' },
  P1: { name: 'High', definition: 'Severe degradation: p95 > 2x target, error rate > 15%, or unresponsive' },
  P2: { name: 'Medium', definition: 'Partial degradation with a workaround; p95 above target, error rate > 10%' },
  P3: { name: 'Low', definition: 'Minor or cosmetic issue, no immediate impact' },
};
