import { IssueTrackerError } from '../../../app/ports/issue-tracker';

/**
 * The one error the GitHub adapter throws (the issue tracker port's IssueTrackerError). Contract for callers (the job queue):
 * - `retryable: true`  — GitHub is down, slow, or rate limiting us. Nothing is lost; run
 *   the same job again later. Every tracker method is safe to repeat (ensureIssue and
 *   createFollowUp look for their hidden marker first, commitFile skips unchanged files).
 * - `retryable: false` — configuration or permission problem (bad token, wrong repo,
 *   validation). Retrying will not help; the message says what to fix.
 * The incident flow itself never waits on GitHub: it enqueues, and the queue retries.
 */
export class GitHubUnavailableError extends IssueTrackerError {
  override readonly name = 'GitHubUnavailableError';
  constructor(
    message: string,
    override readonly code: GitHubErrorCode,
    retryable: boolean,
    status: number | null,
    options?: { cause?: unknown },
  ) {
    super(message, code, retryable, status, options);
  }
}

export type GitHubErrorCode =
  | 'github.unavailable'
  | 'github.rate_limited'
  | 'github.unauthorized'
  | 'github.forbidden'
  | 'github.not_found'
  | 'github.rejected';

interface ErrorLike {
  status?: unknown;
  message?: unknown;
  response?: { headers?: Record<string, string | undefined> };
}

/** Maps whatever Octokit threw into the typed error, naming the operation and the fix. */
export function toGitHubError(error: unknown, operation: string): GitHubUnavailableError {
  if (error instanceof GitHubUnavailableError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as ErrorLike;
  const status = typeof e.status === 'number' && e.status >= 400 ? e.status : null;
  const detail = typeof e.message === 'string' ? e.message : String(error);
  const headers = e.response?.headers ?? {};
  const make = (code: GitHubErrorCode, retryable: boolean, hint: string) =>
    new GitHubUnavailableError(
      `GitHub ${operation} failed${status ? ` (HTTP ${status})` : ''}: ${detail}. ${hint}`,
      code,
      retryable,
      status,
      { cause: error },
    );

  const rateLimited =
    status === 429 ||
    (status === 403 && (headers['x-ratelimit-remaining'] === '0' || 'retry-after' in headers || /rate limit/i.test(detail)));
  if (rateLimited) return make('github.rate_limited', true, 'GitHub is rate limiting this token; the job will be retried later.');
  // Node's fetch reports timeouts and refused connections without a status; Octokit maps them to 500.
  if (status === null || status >= 500 || status === 408)
    return make('github.unavailable', true, 'GitHub did not answer; the job will be retried.');
  if (status === 401) return make('github.unauthorized', false, 'Check GITHUB_TOKEN: it is missing, expired or revoked.');
  if (status === 403)
    return make(
      'github.forbidden',
      false,
      'The token lacks permission: it needs issues, contents and pull requests write access on GITHUB_REPOSITORY.',
    );
  if (status === 404 || status === 410)
    return make('github.not_found', false, 'Check GITHUB_REPOSITORY (owner/repo) and that the token can see it.');
  return make('github.rejected', false, 'GitHub rejected the request as sent.');
}

/** A failure after which the write may or may not have happened on GitHub's side. */
export function isAmbiguousWriteFailure(error: unknown): boolean {
  const status = (error as ErrorLike | null)?.status;
  return typeof status !== 'number' || status >= 500;
}
