import {
  type CommitFileInput,
  type CommitFileResult,
  type FollowUpInput,
  type IssueRef,
  type IssueState,
  type IssueTracker,
  IssueTrackerError,
} from '../../src/app/ports/issue-tracker';
import type { Incident } from '../../src/domain/incident';
import type { UserNames } from '../../src/domain/report/people-text';

/** The issue is created with the incident's labels, as the GitHub tracker does. */
const labelsOf = (incident: Incident) => [
  'incident',
  `severity:${incident.severity}`,
  ...(incident.service ? [`service:${incident.service}`] : []),
];

export interface FakeIssue {
  number: number;
  title: string;
  state: 'open' | 'closed';
  labels: string[];
  comments: string[];
  incidentId: string;
  followUpOf?: number;
}

/** An issue tracker in memory; `failWith` makes every call throw that error until cleared. */
export class FakeIssueTracker implements IssueTracker {
  readonly issues = new Map<number, FakeIssue>();
  readonly files = new Map<string, string>();
  private readonly dedupe = new Set<string>();
  failWith: IssueTrackerError | null = null;

  static unavailable(retryable: boolean): IssueTrackerError {
    return new IssueTrackerError(
      retryable ? 'tracker did not answer' : 'token lacks permission',
      retryable ? 'tracker.unavailable' : 'tracker.forbidden',
      retryable,
      retryable ? 503 : 403,
    );
  }

  private check(): void {
    if (this.failWith) throw this.failWith;
  }

  private ref(n: number): IssueRef {
    return { number: n, url: `https://tracker.test/issues/${n}` };
  }

  async ensureIssue(incident: Incident, _names?: UserNames): Promise<IssueRef> {
    this.check();
    const existing = [...this.issues.values()].find((i) => i.incidentId === incident.id && i.followUpOf === undefined);
    if (existing) return this.ref(existing.number);
    const number = this.issues.size + 1;
    this.issues.set(number, {
      number,
      title: `[${incident.severity}] ${incident.id}: ${incident.title}`,
      state: 'open',
      labels: labelsOf(incident),
      comments: [],
      incidentId: incident.id,
    });
    return this.ref(number);
  }

  async createFollowUp(input: FollowUpInput): Promise<IssueRef> {
    this.check();
    const number = this.issues.size + 1;
    this.issues.set(number, {
      number,
      title: input.text,
      state: 'open',
      labels: [],
      comments: [],
      incidentId: input.incident.id,
      followUpOf: input.incidentIssueNumber,
    });
    return this.ref(number);
  }

  async comment(issueNumber: number, markdown: string, options: { dedupeKey?: string } = {}) {
    this.check();
    if (options.dedupeKey && this.dedupe.has(options.dedupeKey)) return { id: 0, url: '' };
    if (options.dedupeKey) this.dedupe.add(options.dedupeKey);
    this.issues.get(issueNumber)!.comments.push(markdown);
    return { id: this.issues.get(issueNumber)!.comments.length, url: '' };
  }

  async syncLabels(issueNumber: number, incident: Incident): Promise<string[]> {
    this.check();
    const labels = labelsOf(incident);
    this.issues.get(issueNumber)!.labels = labels;
    return labels;
  }

  async close(issueNumber: number): Promise<void> {
    this.check();
    this.issues.get(issueNumber)!.state = 'closed';
  }

  async reopen(issueNumber: number): Promise<void> {
    this.check();
    this.issues.get(issueNumber)!.state = 'open';
  }

  async getIssueStates(numbers: readonly number[]): Promise<Record<number, IssueState>> {
    this.check();
    return Object.fromEntries(numbers.map((n) => [n, this.issues.get(n)?.state ?? 'missing']));
  }

  async publishFile(input: CommitFileInput & { incidentId: string }): Promise<CommitFileResult> {
    this.check();
    const changed = this.files.get(input.path) !== input.content;
    this.files.set(input.path, input.content);
    return { path: input.path, changed, sha: 'sha', commitSha: changed ? 'commit' : null, url: `https://tracker.test/blob/${input.path}` };
  }
}
