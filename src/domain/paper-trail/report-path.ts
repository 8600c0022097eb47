/** Where an incident's report is committed: docs/incidents/INC-20261121-001.md. */
export function reportPath(incidentId: string): string {
  return `docs/incidents/${incidentId}.md`;
}

/** The evidence files go in a folder beside the report. */
export function evidencePath(incidentId: string, file: string): string {
  return `docs/incidents/${incidentId}-evidence/${file}`;
}
