import { randomUUID } from 'node:crypto';
import type { IssueTracker } from '../ports/issue-tracker';
import { IssueTrackerError } from '../ports/issue-tracker';
import type { GitHubSyncState, PaperTrailStore, StoredActionItem } from '../ports/paper-trail-store';
import type { RollbackRecords } from '../ports/rollback-records';
import type { SerialRunner } from '../ports/serial-runner';
import type { ScheduledTimer, TimerContext, TimerEngine } from '../ports/timer-engine';
import { trackerFor, type IssueTrackers } from './issue-trackers';
import type { Clock } from '../../domain/clock';
import type { Incident } from '../../domain/incident';
import { issueComment, isSignificant } from '../../domain/paper-trail/issue-comment';
import { linkGitHubIssue } from '../../domain/paper-trail/link-github-issue';
import { evidencePath, reportPath } from '../../domain/paper-trail/report-path';
import { buildEvidenceFiles, EVIDENCE_FILES } from '../../domain/report/evidence-bundle';
import type { Logger } from '../../logger';
import type { IncidentService } from '../incident-service';
import { loadReportContext } from './report-context';
import type { UserDirectory } from '../ports/user-directory';
import { userIdsIn } from '../../domain/phrase';
import type { UserNames } from '../../domain/report/people-text';

export const GITHUB_SYNC_JOB = 'paper-trail:github-sync';

/** After this many engine retries a job hands over to a fresh one later, so a long outage dead-letters nothing. */
const HAND_OVER_AFTER_ATTEMPTS = 8;
const HAND_OVER_DELAY_MS = 5 * 60_000;

export interface GitHubIssueSyncDeps {
  service: IncidentService;
  paperTrail: PaperTrailStore;
  rollbackRecords: RollbackRecords;
  /** Public incidents go to one repository, private ones to another (or nowhere). */
  trackers: IssueTrackers;
  timers: TimerEngine;
  serial: SerialRunner;
  clock: Clock;
  log: Logger;
  commitEvidence: boolean;
  /** Names for the issue body and comments (GitHub shows people by name, never a Slack id as `@id`). */
  users?: UserDirectory;
  /** Says something in the incident's place in Slack (its channel, or the announcement's thread). */
  notify(incident: Incident, text: string): Promise<void>;
}

function labelKey(incident: Incident): string {
  return `${incident.severity}|${incident.service ?? ''}`;
}

/**
 * Keeps an incident's GitHub issue in step with the incident: created on open, a comment
 * per significant timeline entry, labels, follow-up issues, the committed report, closed
 * on close. Every change enqueues a job on the shared timer engine; the jobs of one
 * incident run one at a time (RedisSerialRunner) and each is a full reconciliation from
 * what is stored, so retries, duplicates and restarts only ever catch up.
 */
export class GitHubIssueSync {
  constructor(private readonly deps: GitHubIssueSyncDeps) {}

  async enqueue(incidentId: string, delayMs = 0): Promise<void> {
    const dueAt = this.deps.clock() + delayMs;
    // Not "<incidentId>:…": cancelIncident() (SLA clocks) must not cancel the paper trail.
    await this.deps.timers.schedule({
      key: `paper-trail:${incidentId}:${dueAt}:${randomUUID().slice(0, 8)}`,
      kind: GITHUB_SYNC_JOB,
      dueAt,
      payload: { incidentId },
    });
  }

  /** The timer handler. Retryable GitHub failures throw, so the engine retries with backoff. */
  readonly handle = async (timer: ScheduledTimer, ctx: TimerContext): Promise<void> => {
    const { incidentId } = timer.payload as { incidentId: string };
    const log = this.deps.log.child({ incidentId, job: timer.key, attempt: ctx.attempt });
    try {
      const outcome = await this.deps.serial.run(`github:${incidentId}`, timer.key, () => this.pass(incidentId, log));
      if (outcome === 'handed_over') log.debug('another job is syncing this incident; it makes one more pass for us');
    } catch (error) {
      if (!(error instanceof IssueTrackerError)) throw error;
      const incident = await this.deps.service.get(incidentId);
      if (!error.retryable) {
        log.error({ err: error.message, code: error.code }, 'GitHub refused the paper trail; not retrying until the next change');
        if (incident && (await this.deps.paperTrail.firstNotice(incidentId, `failed:${error.code}`))) {
          await this.deps.notify(
            incident,
            `:warning: The GitHub paper trail of ${incidentId} is stuck: ${error.message} The incident itself is unaffected.`,
          );
        }
        return;
      }
      if (incident && !incident.github && (await this.deps.paperTrail.firstNotice(incidentId, 'pending'))) {
        await this.deps.notify(
          incident,
          `:hourglass_flowing_sand: The GitHub issue for ${incidentId} is pending: GitHub is not answering right now (${error.code}). It will be created automatically; nothing else waits for it.`,
        );
      }
      if (ctx.attempt >= HAND_OVER_AFTER_ATTEMPTS) {
        log.warn(
          { err: error.message },
          `GitHub still failing after ${ctx.attempt} attempts; trying again in ${HAND_OVER_DELAY_MS / 60_000} minutes`,
        );
        await this.enqueue(incidentId, HAND_OVER_DELAY_MS);
        return;
      }
      throw error;
    }
  };

  private async names(ids: string[]): Promise<UserNames> {
    return this.deps.users ? this.deps.users.names(ids) : {};
  }

  /**
   * One reconciliation, in the order people notice:
   * 1. the issue exists (found by its marker, or created once);
   * 2. its state and labels: a close or reopen goes out before any backlog of comments, and is
   *    checked again between comments, so a long pass never holds it back;
   * 3. follow-up issues and the report;
   * 4. a comment per significant new timeline entry, read from the sync's cursor on (never the
   *    whole timeline). Each comment is marked `attempting` before the call and `posted` after,
   *    so it is posted with one call; the issue's comment list is read only for an entry left
   *    `attempting` (an ambiguous answer, a crash), to find it before posting again.
   */
  private async pass(incidentId: string, log: Logger): Promise<void> {
    const { service, paperTrail } = this.deps;
    let incident = await service.get(incidentId);
    if (!incident) return;
    const tracker = trackerFor(this.deps.trackers, incident);
    if (!tracker) return this.skip(incident, log);
    let state = await paperTrail.syncState(incidentId);

    if (!incident.github) {
      const ref = await tracker.ensureIssue(incident, await this.names([incident.openedBy, ...userIdsIn(incident.severityReason)]));
      // The issue is created with the current labels and open; this version records every comment it posts.
      await paperTrail.saveSyncState(incidentId, { labels: labelKey(incident), state: 'open', commentsTracked: true });
      const linked = await service.apply(incidentId, (i, now) => linkGitHubIssue(i, { issueNumber: ref.number, url: ref.url }, now));
      if (!linked.ok) return;
      incident = linked.incident;
      state = await paperTrail.syncState(incidentId);
      log.info({ issue: ref.number }, 'incident linked to its GitHub issue');
      // Whoever heard it was pending hears that it exists.
      if ((await paperTrail.hasNotice(incidentId, 'pending')) && (await paperTrail.firstNotice(incidentId, 'created'))) {
        await this.deps.notify(incident, `:white_check_mark: GitHub issue for ${incidentId} created: ${ref.url}`);
      }
    }
    const issue = incident.github!.issueNumber;

    const fresh = await service.timelineAfter(incidentId, state.cursor);
    // A person may have closed the issue by hand; a reopened incident reopens it.
    state = await this.syncStateAndLabels(
      tracker,
      incident,
      issue,
      state,
      fresh.some((e) => e.kind === 'reopened'),
    );

    const items = await this.createFollowUps(tracker, incident, issue, log);
    const reportUrl = await this.publishReport(tracker, incident, items, state, log);

    const names = await this.names(fresh.flatMap((e) => [e.actor, ...userIdsIn(e.text)]));
    for (const event of fresh) {
      if (isSignificant(event.kind)) {
        try {
          await this.postComment(tracker, incidentId, issue, event.id, issueComment(event, { reportUrl, names }), state);
          state.commentsTracked = true;
        } catch (error) {
          // A comment GitHub will never take must not hold back every later one.
          if (!(error instanceof IssueTrackerError) || error.retryable) throw error;
          log.error({ err: error.message, event: event.id }, 'GitHub refused a timeline comment; skipped');
        }
      }
      state.cursor = event.id;
      await paperTrail.saveSyncState(incidentId, { cursor: event.id, ...(state.commentsTracked ? { commentsTracked: true } : {}) });
      // A close or a severity change made while this pass posts a backlog goes out now, not after it.
      const latest = await service.get(incidentId);
      if (latest && latest.version !== incident.version) {
        incident = latest;
        state = await this.syncStateAndLabels(tracker, incident, issue, state, false);
      }
    }
  }

  /** Posts one timeline entry's comment once, with one call unless an earlier try's outcome is unknown. */
  private async postComment(
    tracker: IssueTracker,
    incidentId: string,
    issue: number,
    eventId: string,
    markdown: string,
    state: Pick<GitHubSyncState, 'commentsTracked'>,
  ): Promise<void> {
    const { paperTrail } = this.deps;
    const mark = await paperTrail.commentMark(incidentId, eventId);
    if (mark === 'posted') return;
    // Unknown outcome (an earlier try got no clear answer), or an issue synced before marks were kept: look first.
    const lookFirst = mark === 'attempting' || !state.commentsTracked;
    if (!mark) await paperTrail.markComment(incidentId, eventId, 'attempting');
    await tracker.comment(issue, markdown, { dedupeKey: `${incidentId}:${eventId}`, lookFirst });
    await paperTrail.markComment(incidentId, eventId, 'posted');
  }

  /** Brings the issue's open/closed state and severity/service labels to the incident's; returns the state saved. */
  private async syncStateAndLabels(
    tracker: IssueTracker,
    incident: Incident,
    issue: number,
    state: GitHubSyncState,
    reopenedSinceLastPass: boolean,
  ): Promise<GitHubSyncState> {
    const { paperTrail } = this.deps;
    const next = { ...state };
    const wanted = incident.status === 'closed' ? 'closed' : 'open';
    if (wanted !== (state.state ?? 'open') || (wanted === 'open' && reopenedSinceLastPass)) {
      if (wanted === 'closed') await tracker.close(issue);
      else await tracker.reopen(issue);
      await paperTrail.saveSyncState(incident.id, { state: wanted });
      next.state = wanted;
    }
    if (labelKey(incident) !== state.labels) {
      await tracker.syncLabels(issue, incident);
      await paperTrail.saveSyncState(incident.id, { labels: labelKey(incident) });
      next.labels = labelKey(incident);
    }
    return next;
  }

  /**
   * No repository for this incident (a private one while `paper_trail.private_repository` is
   * unset): it gets no GitHub issue, and its timeline says so once.
   */
  private async skip(incident: Incident, log: Logger): Promise<void> {
    if (!incident.private || !(await this.deps.paperTrail.firstNotice(incident.id, 'private-skipped'))) return;
    log.info('private incident and no paper_trail.private_repository: no GitHub issue');
    await this.deps.service.apply(incident.id, (i, now) => ({
      ok: true,
      incident: i,
      events: [
        {
          at: now,
          actor: 'bot',
          kind: 'github_skipped',
          text: 'No GitHub issue: this is a private incident and no private repository is configured (paper_trail.private_repository).',
        },
      ],
    }));
  }

  /** One follow-up issue per action item, created once (the tracker looks for its marker first). */
  private async createFollowUps(tracker: IssueTracker, incident: Incident, issue: number, log: Logger): Promise<StoredActionItem[]> {
    const items = await this.deps.paperTrail.actionItems(incident.id);
    for (const item of items) {
      if (item.issueNumber !== undefined || item.failed) continue;
      try {
        const ownerName = (await this.names([item.owner]))[item.owner];
        const ref = await tracker.createFollowUp({
          incident,
          text: item.text,
          owner: item.owner,
          ...(ownerName ? { ownerName } : {}),
          ...(item.due ? { due: item.due } : {}),
          incidentIssueNumber: issue,
        });
        Object.assign(item, { issueNumber: ref.number, issueUrl: ref.url, state: 'open' as const });
      } catch (error) {
        if (!(error instanceof IssueTrackerError) || error.retryable) throw error;
        log.error({ err: error.message, item: item.key }, 'GitHub refused a follow-up issue');
        item.failed = error.message;
      }
      await this.deps.paperTrail.updateActionItem(incident.id, item);
    }
    return items;
  }

  /** Commits the report (and the evidence) when it was rewritten or its action items got issues. */
  private async publishReport(
    tracker: IssueTracker,
    incident: Incident,
    items: StoredActionItem[],
    state: Awaited<ReturnType<PaperTrailStore['syncState']>>,
    log: Logger,
  ): Promise<string | null> {
    const { paperTrail } = this.deps;
    const report = await paperTrail.report(incident.id);
    if (!report) return state.reportUrl;
    const fingerprint = items.map((i) => `${i.key}:${i.issueNumber ?? ''}`).join(',');
    if (report.revision <= state.publishedRevision && fingerprint === state.publishedActions) return state.reportUrl;
    const context = await loadReportContext(
      { incidents: this.deps.service, paperTrail, rollbackRecords: this.deps.rollbackRecords },
      incident.id,
      this.deps.users,
    );
    if (!context) return state.reportUrl;
    const files = buildEvidenceFiles(context);
    const message = `${incident.id}: incident report${report.revision > 1 ? ` (revision ${report.revision})` : ''}`;
    let url: string | null = null;
    try {
      const landed = await tracker.publishFile({
        incidentId: incident.id,
        path: reportPath(incident.id),
        content: files['INCIDENT-REPORT.md'],
        message,
      });
      url = landed.url;
      if (this.deps.commitEvidence) {
        for (const name of EVIDENCE_FILES.filter((f) => f !== 'INCIDENT-REPORT.md')) {
          await tracker.publishFile({
            incidentId: incident.id,
            path: evidencePath(incident.id, name),
            content: files[name],
            message: `${incident.id}: evidence ${name}`,
          });
        }
      }
    } catch (error) {
      if (!(error instanceof IssueTrackerError) || error.retryable) throw error;
      log.error({ err: error.message }, 'GitHub refused the report commit');
      if (await paperTrail.firstNotice(incident.id, `report-failed:${report.revision}`)) {
        await this.deps.notify(
          incident,
          `:warning: The report of ${incident.id} is saved and posted here, but could not be committed to GitHub: ${error.message}`,
        );
      }
    }
    await paperTrail.saveSyncState(incident.id, {
      publishedRevision: report.revision,
      publishedActions: fingerprint,
      ...(url ? { reportUrl: url } : {}),
    });
    log.info({ revision: report.revision, url }, 'incident report published');
    return url ?? state.reportUrl;
  }
}
