import { trackerFor, type IssueTrackers } from './issue-trackers';
import type { PaperTrailStore, StoredActionItem, StoredReportInput } from '../ports/paper-trail-store';
import type { RollbackRecords } from '../ports/rollback-records';
import type { Incident } from '../../domain/incident';
import { gateFactsOf } from '../../domain/paper-trail/gate-facts-of';
import { recordActionItem } from '../../domain/paper-trail/record-action-item';
import { recordReport } from '../../domain/paper-trail/record-report';
import { reportPath } from '../../domain/paper-trail/report-path';
import { buildEvidenceFiles, type EvidenceFileName } from '../../domain/report/evidence-bundle';
import { evaluateGates, type GateStatus } from '../../domain/report/gates';
import { renderIncidentReport } from '../../domain/report/render-incident-report';
import { reportDocument, type ReportDocument } from '../../domain/report/report-document';
import type { ActionItem } from '../../domain/report/report-input';
import { refuse, type Result } from '../../domain/result';
import type { TimelineEventInput } from '../../domain/timeline';
import type { Logger } from '../../logger';
import type { IncidentObserver } from '../ports/incident-observer';
import type { IncidentService } from '../incident-service';
import type { GitHubIssueSync } from './github-issue-sync';
import { loadReportContext } from './report-context';
import { plainText } from '../../domain/phrase';
import type { UserDirectory } from '../ports/user-directory';

/** Reading follow-up states for `/incident show` must not hold the answer up for long. */
const STATE_LOOKUP_MS = 2_500;

export interface PaperTrailServiceDeps {
  service: IncidentService;
  paperTrail: PaperTrailStore;
  rollbackRecords: RollbackRecords;
  /** Null when GITHUB_TOKEN / GITHUB_REPOSITORY are not set: the report stays in Slack and Redis. */
  sync: GitHubIssueSync | null;
  trackers: IssueTrackers;
  log: Logger;
  /** Names for the report and the evidence bundle; without it people show as ids. */
  users?: UserDirectory;
}

export interface IncidentPaperTrail {
  gates: GateStatus[];
  actionItems: StoredActionItem[];
  /** False when GitHub did not answer in time: states are the last known. */
  statesFresh: boolean;
  report: { revision: number; writtenBy: string; writtenAt: number } | null;
}

/**
 * The paper trail's use cases: write the report, add action items, build the evidence,
 * say where the gates stand. It also observes every incident change: each one enqueues
 * a GitHub sync, and a recovery override lands in the decision log.
 */
export class PaperTrailService implements IncidentObserver {
  readonly name = 'paper-trail';

  constructor(private readonly deps: PaperTrailServiceDeps) {}

  async opened(incident: Incident): Promise<void> {
    await this.deps.sync?.enqueue(incident.id);
  }

  async changed(incident: Incident, events: TimelineEventInput[]): Promise<void> {
    for (const event of events.filter((e) => e.kind === 'recovery_override')) {
      const reason = typeof event.details?.reason === 'string' ? event.details.reason : plainText(event.text);
      await this.deps.rollbackRecords.addDecision(incident.id, {
        kind: 'override',
        by: event.actor,
        at: event.at,
        action: `resolve ${incident.id} without validated recovery (gate 3 override)`,
        reason,
      });
    }
    await this.deps.sync?.enqueue(incident.id);
  }

  /** Whether this incident's paper trail goes to GitHub (a private one needs its own repository). */
  githubFor(incident: Pick<Incident, 'private'>): boolean {
    return this.deps.sync !== null && trackerFor(this.deps.trackers, incident) !== null;
  }

  /**
   * Saves the report's answers and items, records the report on the incident (gate 4),
   * and returns the Markdown to post. GitHub gets it through the sync job.
   */
  async writeReport(
    incidentId: string,
    answers: StoredReportInput,
    items: ActionItem[],
    by: string,
  ): Promise<Result<{ markdown: string; document: ReportDocument; incident: Incident; revision: number; notices: string[] }>> {
    const { service, paperTrail } = this.deps;
    const current = await service.get(incidentId);
    if (!current) return refuse('incident.not_found', `No incident ${incidentId}.`);
    if (current.status === 'closed') return refuse('report.closed', `${incidentId} is closed; its report can no longer change.`);
    for (const item of items) await this.addActionItem(incidentId, item, by);
    const saved = await paperTrail.saveReport(incidentId, answers, by, service.now());
    const outcome = await service.apply(incidentId, (i, now) =>
      recordReport(i, by, now, { path: reportPath(incidentId), revision: saved.revision, resolutionSummary: answers.resolution }),
    );
    if (!outcome.ok) return outcome;
    const context = await loadReportContext(
      { incidents: service, paperTrail, rollbackRecords: this.deps.rollbackRecords },
      incidentId,
      this.deps.users,
    );
    return {
      ok: true,
      markdown: renderIncidentReport(context!),
      document: reportDocument(context!),
      incident: outcome.incident,
      revision: saved.revision,
      notices: outcome.notices ?? [],
    };
  }

  /** Adds an action item (once per text) and puts it on the timeline; the sync makes its GitHub issue. */
  async addActionItem(incidentId: string, item: ActionItem, by: string): Promise<Result<{ created: boolean; item: StoredActionItem }>> {
    const { service, paperTrail } = this.deps;
    const incident = await service.get(incidentId);
    if (!incident) return refuse('incident.not_found', `No incident ${incidentId}.`);
    if (incident.status === 'closed') return refuse('action.closed', `${incidentId} is closed; add follow-ups as GitHub issues directly.`);
    const added = await paperTrail.addActionItem(incidentId, item, by, service.now());
    if (!added.created) return { ok: true, ...added };
    const outcome = await service.apply(incidentId, (i, now) => recordActionItem(i, item, by, now));
    if (!outcome.ok) return outcome;
    return { ok: true, ...added };
  }

  /** The four-gate protocol's evidence files, rendered from what is stored now. */
  async evidence(incidentId: string): Promise<Record<EvidenceFileName, string> | null> {
    const context = await loadReportContext(
      { incidents: this.deps.service, paperTrail: this.deps.paperTrail, rollbackRecords: this.deps.rollbackRecords },
      incidentId,
      this.deps.users,
    );
    return context ? buildEvidenceFiles(context) : null;
  }

  async storedReport(incidentId: string) {
    return this.deps.paperTrail.report(incidentId);
  }

  actionItems(incidentId: string): Promise<StoredActionItem[]> {
    return this.deps.paperTrail.actionItems(incidentId);
  }

  /** Gates, action items with their follow-up state (read from GitHub, briefly), and the report. */
  async describe(incident: Incident): Promise<IncidentPaperTrail> {
    const { paperTrail } = this.deps;
    const tracker = trackerFor(this.deps.trackers, incident);
    const [items, report] = await Promise.all([paperTrail.actionItems(incident.id), paperTrail.report(incident.id)]);
    let statesFresh = true;
    const numbers = items.map((i) => i.issueNumber).filter((n): n is number => typeof n === 'number');
    if (tracker && numbers.length) {
      let timer: NodeJS.Timeout | undefined;
      const states = await Promise.race([
        tracker.getIssueStates(numbers).catch(() => null),
        new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), STATE_LOOKUP_MS))),
      ]);
      clearTimeout(timer);
      if (!states) statesFresh = false;
      for (const item of items) {
        const state = item.issueNumber !== undefined ? states?.[item.issueNumber] : undefined;
        if (state === 'open' || state === 'closed') {
          if (item.state !== state) await paperTrail.updateActionItem(incident.id, { ...item, state });
          item.state = state;
        }
      }
    }
    return {
      gates: evaluateGates(gateFactsOf(incident)),
      actionItems: items,
      statesFresh,
      report: report ? { revision: report.revision, writtenBy: report.writtenBy, writtenAt: report.writtenAt } : null,
    };
  }
}
