import { gateFacts, type Change, type Incident } from '../incident';
import { refuse } from '../result';
import { phrase, user } from '../phrase';

export interface ReportRecord {
  /** Where the report is committed, e.g. docs/incidents/INC-20261121-001.md. */
  path: string;
  /** Which write of the report this is (1, 2, ...): rewriting it is allowed and recorded. */
  revision: number;
  /** The Resolution field of the report; fills or replaces the resolution summary (gate 4). */
  resolutionSummary?: string;
}

/** Gate 4's second half: the incident report was written (and, with it, the resolution summary). */
export function recordReport(incident: Incident, by: string, now: number, record: ReportRecord): Change {
  if (incident.status === 'closed') return refuse('report.closed', `${incident.id} is closed; its report can no longer change.`);
  const summary = record.resolutionSummary?.trim();
  const changedSummary = Boolean(summary) && summary !== incident.resolutionSummary;
  const next: Incident = {
    ...incident,
    resolutionSummary: changedSummary ? summary! : incident.resolutionSummary,
    gates: { ...gateFacts(incident), reportWrittenAt: now },
  };
  const events = [];
  if (changedSummary) events.push({ at: now, actor: by, kind: 'resolution_summary', text: summary! });
  events.push({
    at: now,
    actor: by,
    kind: 'report_written',
    text: phrase`Incident report ${record.revision > 1 ? `revised (revision ${record.revision})` : 'written'} by ${user(by)}: ${record.path}`,
    details: { path: record.path, revision: record.revision },
  });
  return { ok: true, incident: next, events };
}
