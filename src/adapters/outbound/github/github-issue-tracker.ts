import type { Logger } from 'pino';
import type {
  CommitFileInput,
  CommitFileResult,
  FollowUpInput,
  IssueRef,
  IssueState,
  IssueTracker,
} from '../../../app/ports/issue-tracker';
import type { Incident } from '../../../domain/incident';
import { escapeInline } from '../../../domain/report/escape-markdown';
import { displayActor, type UserNames } from '../../../domain/report/people-text';
import type { GitHubClient } from './create-octokit';
import { GitHubUnavailableError, isAmbiguousWriteFailure, toGitHubError } from './github-errors';
import { incidentIssueTitle, incidentLabels, incidentMarker, renderIssueBody, retagTitle, truncate } from './render-issue-body';

export interface GitHubIssueTrackerOptions {
  octokit: GitHubClient;
  /** GITHUB_REPOSITORY split in two. */
  owner: string;
  repo: string;
  log: Logger;
  /** How `publishFile` lands the report: a commit on a branch, or a pull request. Default commit. */
  reportMode?: 'commit' | 'pull-request';
  /** Branch for commit mode; the repository's default branch when unset. */
  reportBranch?: string;
  /** e.g. https://acme.slack.com, for permalinks in the issue body. */
  slackWorkspaceUrl?: string;
  /** Create attempts when GitHub answers 5xx and the issue is not there afterwards. Default 3. */
  createAttempts?: number;
}

export type { CommitFileInput, CommitFileResult, FollowUpInput, IssueRef, IssueState } from '../../../app/ports/issue-tracker';

export interface PullRequestInput extends CommitFileInput {
  branch: string;
  title: string;
  body: string;
  /** Base branch; the repository's default branch when unset. */
  base?: string;
}

/** Issue lookups start a day before the incident opened: generous against clock skew, still a page or two. */
const SINCE_MARGIN_MS = 24 * 3_600_000;
/** Non-idempotent POSTs must not be replayed blindly: GitHub may have done them already. */
const NO_RETRY = { request: { retries: 0 } };

/**
 * The incident's paper trail on GitHub. Every method is safe to call again after any
 * failure and throws only GitHubUnavailableError (see github-errors.ts for the contract).
 *
 * Finding the issue again: we list issues labelled `incident` updated since the incident
 * opened and scan bodies for the hidden marker, instead of the search API. Search is
 * indexed asynchronously, so an issue created a second ago (exactly the 502-after-create
 * case) is often not found; it is also limited to 30 requests a minute. The label list
 * reads the primary data, and `since` keeps it to a page or two. The marker guards
 * against retries, not races: two replicas creating for one incident at the same instant
 * could both miss, so callers run tracker jobs one at a time per incident (job id = incident id).
 */
export class GitHubIssueTracker implements IssueTracker {
  private readonly octokit: GitHubClient;
  private readonly repoRef: { owner: string; repo: string };
  private readonly log: Logger;

  constructor(private readonly options: GitHubIssueTrackerOptions) {
    this.octokit = options.octokit;
    this.repoRef = { owner: options.owner, repo: options.repo };
    this.log = options.log.child({ component: 'github-issue-tracker' });
  }

  /** The incident's issue: found by its marker, or created once. */
  /** `names` (user id → name) lets the body show people by name; unknown ids show as bare ids. */
  async ensureIssue(incident: Incident, names: UserNames = {}): Promise<IssueRef> {
    return this.createOnce('incident', incidentMarker(incident.id), incident.createdAt, () => ({
      title: incidentIssueTitle(incident),
      body: renderIssueBody(incident, this.options.slackWorkspaceUrl, names),
      labels: incidentLabels(incident),
    }));
  }

  /** A follow-up issue for one action item, labelled and linked back to the incident issue. */
  async createFollowUp(input: FollowUpInput): Promise<IssueRef> {
    const { incident } = input;
    const marker = incidentMarker(incident.id, `follow-up:${fnv1a(input.text.trim())}`);
    const owner = escapeInline(input.ownerName ?? displayActor(input.owner));
    return this.createOnce('incident-follow-up', marker, incident.createdAt, () => ({
      title: truncate(`${incident.id} follow-up: ${input.text.replace(/\s+/g, ' ').trim()}`, 256),
      body: [
        marker,
        `Follow-up from #${input.incidentIssueNumber} (${incident.id}: ${escapeInline(incident.title)}).`,
        '',
        escapeInline(input.text),
        '',
        `- **Owner**: ${owner} (Slack ${input.owner})`,
        `- **Due**: ${input.due ? escapeInline(input.due) : 'not set'}`,
        '',
      ].join('\n'),
      labels: ['incident-follow-up', ...(incident.service ? [truncate(`service:${incident.service}`, 50)] : [])],
    }));
  }

  /**
   * Posts a comment. With a dedupeKey the comment carries a marker and is not posted twice,
   * so the job queue may retry it freely; without one a retry after an ambiguous failure
   * can post it twice. `lookFirst: false` (the caller knows it never posted this one, e.g.
   * from its own records) skips reading the comment list before posting: one call instead of
   * a list read per comment. After an ambiguous failure the list is read either way.
   */
  async comment(
    issueNumber: number,
    markdown: string,
    options: { dedupeKey?: string; lookFirst?: boolean } = {},
  ): Promise<{ id: number; url: string }> {
    const marker = options.dedupeKey ? `<!-- incident-bot:comment:${options.dedupeKey.replace(/-->/g, '')} -->` : null;
    // GitHub rejects bodies over 65,536 characters.
    const body = truncate(marker ? `${markdown}\n\n${marker}` : markdown, 65_000);
    if (marker && options.lookFirst !== false) {
      const existing = await this.findComment(issueNumber, marker);
      if (existing) return existing;
    }
    try {
      const { data } = await this.octokit.rest.issues.createComment({ ...this.repoRef, issue_number: issueNumber, body, ...NO_RETRY });
      return { id: data.id, url: data.html_url };
    } catch (error) {
      if (marker && isAmbiguousWriteFailure(error)) {
        const existing = await this.findComment(issueNumber, marker).catch(() => null);
        if (existing) return existing;
      }
      throw toGitHubError(error, `comment on #${issueNumber}`);
    }
  }

  /**
   * Replaces the severity:/service: labels with the incident's current ones, keeping all others,
   * and the title's `[P1]` tag with the current severity (a title a person rewrote without the
   * tag is left alone). Writes only what differs.
   */
  async syncLabels(issueNumber: number, incident: Incident): Promise<string[]> {
    return this.call(`sync labels of #${issueNumber}`, async () => {
      const { data } = await this.octokit.rest.issues.get({ ...this.repoRef, issue_number: issueNumber });
      const title = retagTitle(data.title, incident.severity);
      if (title !== data.title) await this.octokit.rest.issues.update({ ...this.repoRef, issue_number: issueNumber, title });
      const current = data.labels.map((label) => (typeof label === 'string' ? label : (label.name ?? ''))).filter(Boolean);
      const kept = current.filter((name) => !name.startsWith('severity:') && !name.startsWith('service:'));
      const wanted = [...new Set([...kept, ...incidentLabels(incident)])];
      if (sameSet(current, wanted)) return current;
      await this.octokit.rest.issues.setLabels({ ...this.repoRef, issue_number: issueNumber, labels: wanted });
      return wanted;
    });
  }

  async close(issueNumber: number): Promise<void> {
    await this.call(`close #${issueNumber}`, () =>
      this.octokit.rest.issues.update({ ...this.repoRef, issue_number: issueNumber, state: 'closed', state_reason: 'completed' }),
    );
  }

  async reopen(issueNumber: number): Promise<void> {
    await this.call(`reopen #${issueNumber}`, () =>
      this.octokit.rest.issues.update({ ...this.repoRef, issue_number: issueNumber, state: 'open' }),
    );
  }

  /** State of each issue (follow-ups feed the report's checkboxes); deleted or transferred ones are "missing". */
  async getIssueStates(numbers: readonly number[]): Promise<Record<number, IssueState>> {
    const states: Record<number, IssueState> = {};
    for (const number of new Set(numbers)) {
      states[number] = await this.call(`read #${number}`, async () => {
        try {
          const { data } = await this.octokit.rest.issues.get({ ...this.repoRef, issue_number: number });
          return data.state === 'closed' ? 'closed' : 'open';
        } catch (error) {
          if (statusOf(error) === 404 || statusOf(error) === 410) return 'missing';
          throw error;
        }
      });
    }
    return states;
  }

  /** Lands a file the way the config says: a commit, or a pull request from an incident branch. */
  async publishFile(input: CommitFileInput & { incidentId: string }): Promise<CommitFileResult | (IssueRef & { branch: string })> {
    if (this.options.reportMode === 'pull-request') {
      return this.openPullRequest({
        ...input,
        branch: input.branch ?? `incident-bot/${input.incidentId.toLowerCase()}`,
        title: input.message,
        body: `Incident report for ${input.incidentId}, written by incident-bot.`,
      });
    }
    return this.commitFile({ ...input, branch: input.branch ?? this.options.reportBranch });
  }

  /** Creates or updates one file through the contents API; an unchanged file makes no commit. */
  async commitFile(input: CommitFileInput): Promise<CommitFileResult> {
    return this.call(`commit ${input.path}`, async () => {
      // One retry covers a concurrent writer changing the file between our read and write (409).
      for (let attempt = 1; ; attempt++) {
        const existing = await this.readFile(input.path, input.branch);
        if (existing && existing.content === input.content)
          return { path: input.path, changed: false, sha: existing.sha, commitSha: null, url: existing.url };
        try {
          const { data } = await this.octokit.rest.repos.createOrUpdateFileContents({
            ...this.repoRef,
            path: input.path,
            message: input.message,
            content: Buffer.from(input.content, 'utf8').toString('base64'),
            ...(input.branch ? { branch: input.branch } : {}),
            ...(existing ? { sha: existing.sha } : {}),
          });
          return {
            path: input.path,
            changed: true,
            sha: data.content?.sha ?? '',
            commitSha: data.commit.sha ?? null,
            url: data.content?.html_url ?? null,
          };
        } catch (error) {
          if (attempt < 2 && statusOf(error) === 409) continue;
          throw error;
        }
      }
    });
  }

  /** Branch from the base, commit the file there, open (or find the already open) pull request. */
  async openPullRequest(input: PullRequestInput): Promise<IssueRef & { branch: string }> {
    return this.call(`open pull request from ${input.branch}`, async () => {
      const base = input.base ?? (await this.octokit.rest.repos.get(this.repoRef)).data.default_branch;
      const { data: baseRef } = await this.octokit.rest.git.getRef({ ...this.repoRef, ref: `heads/${base}` });
      try {
        await this.octokit.rest.git.createRef({ ...this.repoRef, ref: `refs/heads/${input.branch}`, sha: baseRef.object.sha });
      } catch (error) {
        // 422 "Reference already exists": an earlier attempt got this far.
        if (statusOf(error) !== 422) throw error;
      }
      await this.commitFile({ path: input.path, content: input.content, message: input.message, branch: input.branch });
      const open = await this.findPullRequest(input.branch);
      if (open) return open;
      try {
        const { data } = await this.octokit.rest.pulls.create({
          ...this.repoRef,
          head: input.branch,
          base,
          title: input.title,
          body: input.body,
          ...NO_RETRY,
        });
        return { number: data.number, url: data.html_url, branch: input.branch };
      } catch (error) {
        const again = isAmbiguousWriteFailure(error) || statusOf(error) === 422 ? await this.findPullRequest(input.branch) : null;
        if (again) return again;
        throw error;
      }
    });
  }

  /**
   * Find-then-create with a marker. When create fails ambiguously (5xx, timeout), GitHub
   * may have created the issue anyway, so we look again before trying again.
   */
  private async createOnce(
    label: string,
    marker: string,
    sinceMs: number,
    build: () => { title: string; body: string; labels: string[] },
  ): Promise<IssueRef> {
    const operation = `create issue ${marker.slice(5, -4)}`;
    const found = await this.call(operation, () => this.findIssue(label, marker, sinceMs));
    if (found) return found;
    const attempts = this.options.createAttempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        const { title, body, labels } = build();
        const { data } = await this.octokit.rest.issues.create({ ...this.repoRef, title, body, labels, ...NO_RETRY });
        this.log.info({ issue: data.number, marker }, 'created GitHub issue');
        return { number: data.number, url: data.html_url };
      } catch (error) {
        if (!isAmbiguousWriteFailure(error)) throw toGitHubError(error, operation);
        this.log.warn(
          { attempt, status: statusOf(error), marker },
          'GitHub issue create failed ambiguously; looking for it before retrying',
        );
        const created = await this.call(operation, () => this.findIssue(label, marker, sinceMs));
        if (created) return created;
        if (attempt >= attempts) throw toGitHubError(error, operation);
      }
    }
  }

  private async findIssue(label: string, marker: string, sinceMs: number): Promise<IssueRef | null> {
    const pages = this.octokit.paginate.iterator(this.octokit.rest.issues.listForRepo, {
      ...this.repoRef,
      labels: label,
      state: 'all',
      since: new Date(sinceMs - SINCE_MARGIN_MS).toISOString(),
      per_page: 100,
    });
    for await (const page of pages) {
      const issue = page.data.find((i) => !i.pull_request && i.body?.includes(marker));
      if (issue) return { number: issue.number, url: issue.html_url };
    }
    return null;
  }

  private async findComment(issueNumber: number, marker: string): Promise<{ id: number; url: string } | null> {
    return this.call(`read comments of #${issueNumber}`, async () => {
      const pages = this.octokit.paginate.iterator(this.octokit.rest.issues.listComments, {
        ...this.repoRef,
        issue_number: issueNumber,
        per_page: 100,
      });
      for await (const page of pages) {
        const comment = page.data.find((c) => c.body?.includes(marker));
        if (comment) return { id: comment.id, url: comment.html_url };
      }
      return null;
    });
  }

  private async findPullRequest(branch: string): Promise<(IssueRef & { branch: string }) | null> {
    const { data } = await this.octokit.rest.pulls.list({
      ...this.repoRef,
      head: `${this.repoRef.owner}:${branch}`,
      state: 'open',
      per_page: 1,
    });
    const pull = data[0];
    return pull ? { number: pull.number, url: pull.html_url, branch } : null;
  }

  private async readFile(path: string, ref?: string): Promise<{ sha: string; content: string; url: string | null } | null> {
    try {
      const { data } = await this.octokit.rest.repos.getContent({ ...this.repoRef, path, ...(ref ? { ref } : {}) });
      if (Array.isArray(data) || data.type !== 'file')
        throw new GitHubUnavailableError(
          `${path} exists in ${this.repoRef.owner}/${this.repoRef.repo} but is not a file; choose another report path.`,
          'github.rejected',
          false,
          null,
        );
      const content = 'content' in data && typeof data.content === 'string' ? Buffer.from(data.content, 'base64').toString('utf8') : '';
      return { sha: data.sha, content, url: data.html_url ?? null };
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  /** Runs one GitHub operation and converts any failure into the typed error. */
  private async call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toGitHubError(error, operation);
    }
  }
}

function statusOf(error: unknown): number | null {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : null;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && b.every((name) => a.includes(name));
}

/** Short stable key for an action item's text (FNV-1a, 32 bit), so its follow-up is created once. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (const char of text) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
