import type { ActionItem, ReportInput } from '../../domain/report/report-input';

/** An action item as kept: what was asked, by whom, and its follow-up issue once created. */
export interface StoredActionItem extends ActionItem {
  key: string;
  addedBy: string;
  addedAt: number;
  issueNumber?: number;
  /** The tracker refused to create its follow-up (not retried): why. */
  failed?: string;
}

/** The report form's answers (action items live apart, so /incident action adds to the same list). */
export type StoredReportInput = Omit<ReportInput, 'actionItems'> & { resolution: string };

export interface StoredReport {
  input: StoredReportInput;
  revision: number;
  writtenBy: string;
  writtenAt: number;
}

/** How far the incident's tracker issue has caught up with the incident. */
export interface GitHubSyncState {
  /** Last timeline stream id handled (commented or skipped). */
  cursor: string | null;
  /** severity/service labels last applied, as "P1|checkout". */
  labels: string | null;
  /** Issue state we last set. */
  state: 'open' | 'closed' | null;
  /** Report revision and action-item fingerprint last committed. */
  publishedRevision: number;
  publishedActions: string | null;
  reportUrl: string | null;
  /**
   * Every comment posted on this issue is recorded (commentMark): the sync posts without
   * reading the issue's comments first. False for issues synced by a version without marks.
   */
  commentsTracked: boolean;
}

/** A timeline entry's comment: being posted (the answer may not have come back), or posted. */
export type CommentMark = 'attempting' | 'posted';

/** The paper trail's own records per incident: report answers, action items, tracker sync progress (RedisPaperTrailStore). */
export interface PaperTrailStore {
  /** Saves the report's answers and returns the new revision (1 for the first report). */
  saveReport(incidentId: string, input: StoredReportInput, by: string, at: number): Promise<StoredReport>;
  report(incidentId: string): Promise<StoredReport | null>;
  /** Adds an item unless one with the same text (case and spacing aside) exists; returns the stored one and whether it is new. */
  addActionItem(incidentId: string, item: ActionItem, by: string, at: number): Promise<{ created: boolean; item: StoredActionItem }>;
  /** In the order they were added. */
  actionItems(incidentId: string): Promise<StoredActionItem[]>;
  updateActionItem(incidentId: string, item: StoredActionItem): Promise<void>;
  syncState(incidentId: string): Promise<GitHubSyncState>;
  /** Merges the fields given (null and undefined leave a field as it is). */
  saveSyncState(incidentId: string, patch: Partial<GitHubSyncState>): Promise<void>;
  /** What is known of the comment for timeline entry `eventId`: nothing, being posted, or posted. */
  commentMark(incidentId: string, eventId: string): Promise<CommentMark | null>;
  markComment(incidentId: string, eventId: string, mark: CommentMark): Promise<void>;
  hasNotice(incidentId: string, kind: string): Promise<boolean>;
  /** True the first time only: a notice of this kind is said once per incident. */
  firstNotice(incidentId: string, kind: string): Promise<boolean>;
}
