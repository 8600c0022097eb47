import type { IncidentStore } from '../ports/incident-store';
import type { PaperTrailStore, StoredActionItem } from '../ports/paper-trail-store';
import type { RollbackRecords } from '../ports/rollback-records';
import { userIdsIn } from '../../domain/phrase';
import type { EvidenceContext } from '../../domain/report/evidence-bundle';
import type { UserDirectory } from '../ports/user-directory';
import type { RollbackEvidence } from '../../domain/report/records';
import type { ActionItem, ReportInput } from '../../domain/report/report-input';

const EMPTY_INPUT: Omit<ReportInput, 'actionItems'> = { rootCause: '', impact: '', wentWell: [], couldImprove: [], prevention: '' };

/** A stored action item as the report shows it. */
export function reportItem(item: StoredActionItem): ActionItem {
  return {
    text: item.text,
    owner: item.owner,
    ...(item.due ? { due: item.due } : {}),
    ...(item.issueUrl ? { issueUrl: item.issueUrl } : {}),
    ...(item.state ? { state: item.state } : {}),
  };
}

/**
 * Everything the report and the evidence bundle are rendered from, read fresh from the
 * stores: the incident, its timeline, the report's answers, the action items and the
 * rollback records. Rendering is pure, so the same stored facts give the same files.
 */
export async function loadReportContext(
  stores: { incidents: IncidentStore; paperTrail: PaperTrailStore; rollbackRecords: RollbackRecords },
  incidentId: string,
  users?: UserDirectory,
): Promise<EvidenceContext | null> {
  const incident = await stores.incidents.get(incidentId);
  if (!incident) return null;
  const [timeline, report, items, decisions, executions, verification, signals] = await Promise.all([
    stores.incidents.timeline(incidentId),
    stores.paperTrail.report(incidentId),
    stores.paperTrail.actionItems(incidentId),
    stores.rollbackRecords.decisions(incidentId),
    stores.rollbackRecords.executions(incidentId),
    stores.rollbackRecords.latestVerification(incidentId),
    stores.rollbackRecords.signalsAtRollback(incidentId),
  ]);
  const { resolution: _resolution, ...answers } = report?.input ?? { ...EMPTY_INPUT, resolution: '' };
  // No executions and no verification means no rollback ran: the report says so.
  const rollback: RollbackEvidence | undefined =
    executions.length || verification
      ? { executions, ...(verification ? { verification } : {}), ...(signals ? { signalsAtRollback: signals } : {}) }
      : undefined;
  // Everyone the report may name, looked up once: GitHub and the report show names, not ids.
  const ids = [
    incident.openedBy,
    incident.commander,
    incident.acknowledgedBy,
    incident.severityConfirmed?.by,
    incident.gates?.recoveryOverride?.by,
    ...userIdsIn(incident.severityReason),
    ...userIdsIn(incident.impact),
    ...userIdsIn(incident.resolutionSummary ?? ''),
    ...timeline.flatMap((e) => [e.actor, ...userIdsIn(e.text)]),
    ...items.map((i) => i.owner),
    ...decisions.map((d) => d.by),
  ].filter((id): id is string => Boolean(id));
  const userNames = users ? await users.names(ids) : {};
  return {
    incident,
    timeline,
    userNames,
    input: { ...EMPTY_INPUT, ...answers, actionItems: items.map(reportItem) },
    decisions,
    ...(rollback ? { rollback } : {}),
  };
}
