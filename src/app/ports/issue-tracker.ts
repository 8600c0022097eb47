import type { Incident } from '../../domain/incident';
import type { UserNames } from '../../domain/report/people-text';

export interface IssueRef {
  number: number;
  url: string;
}

/** A file to land in the repository (the report, the evidence). */
export interface CommitFileInput {
  path: string;
  content: string;
  message: string;
  branch?: string;
}

export interface CommitFileResult {
  path: string;
  /** False when the file already had exactly this content: no empty commit was made. */
  changed: boolean;
  sha: string;
  commitSha: string | null;
  url: string | null;
}

export interface FollowUpInput {
  incident: Incident;
  text: string;
  /** User id of the owner. */
  owner: string;
  ownerName?: string;
  due?: string;
  incidentIssueNumber: number;
}

export type IssueState = 'open' | 'closed' | 'missing';

/**
 * The one error a tracker throws. Contract for callers (the sync job):
 * - `retryable: true`: the tracker is down, slow, or rate limiting. Nothing is lost; run the
 *   same job again later (every tracker method is safe to repeat).
 * - `retryable: false`: a configuration or permission problem; retrying will not help and the
 *   message says what to fix.
 */
export class IssueTrackerError extends Error {
  override readonly name: string = 'IssueTrackerError';
  constructor(
    message: string,
    readonly code: string,
    readonly retryable: boolean,
    /** HTTP status, or null when no response arrived (network error, timeout). */
    readonly status: number | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The incident's paper trail in an issue tracker (GitHubIssueTracker implements it). Every
 * method is safe to call again after any failure and throws only IssueTrackerError.
 */
export interface IssueTracker {
  /** The incident's issue: found by its marker, or created once. `names` lets the body show people by name. */
  ensureIssue(incident: Incident, names?: UserNames): Promise<IssueRef>;
  /** A follow-up issue for one action item, linked back to the incident issue; created once. */
  createFollowUp(input: FollowUpInput): Promise<IssueRef>;
  /**
   * One comment; `dedupeKey` makes a repeat a no-op. `lookFirst: false`: the caller's records say
   * it never posted this one, so no comment list is read before posting (only after an ambiguous answer).
   */
  comment(
    issueNumber: number,
    markdown: string,
    options?: { dedupeKey?: string; lookFirst?: boolean },
  ): Promise<{ id: number; url: string }>;
  /** Severity and service labels as the incident has them now. */
  syncLabels(issueNumber: number, incident: Incident): Promise<string[]>;
  close(issueNumber: number): Promise<void>;
  reopen(issueNumber: number): Promise<void>;
  getIssueStates(numbers: readonly number[]): Promise<Record<number, IssueState>>;
  /** Lands a file the way the config says: a commit, or a pull request. */
  publishFile(input: CommitFileInput & { incidentId: string }): Promise<CommitFileResult | (IssueRef & { branch: string })>;
}
