import { describe, expect, it } from 'vitest';
import { GitHubUnavailableError, isAmbiguousWriteFailure, toGitHubError } from '../../../src/adapters/outbound/github/github-errors';

// Shapes as Octokit's RequestError carries them.
const httpError = (status: number, message = 'x', headers: Record<string, string> = {}) =>
  Object.assign(new Error(message), { status, response: { headers } });

describe('toGitHubError', () => {
  it.each([
    ['503', httpError(503), 'github.unavailable', true],
    ['502', httpError(502), 'github.unavailable', true],
    ['network (Octokit maps to 500)', httpError(500, 'connect ECONNREFUSED'), 'github.unavailable', true],
    ['no status at all', new TypeError('fetch failed'), 'github.unavailable', true],
    ['429', httpError(429), 'github.rate_limited', true],
    ['403 secondary', httpError(403, 'You have exceeded a secondary rate limit', { 'retry-after': '60' }), 'github.rate_limited', true],
    ['403 primary', httpError(403, 'API rate limit exceeded', { 'x-ratelimit-remaining': '0' }), 'github.rate_limited', true],
    ['401', httpError(401, 'Bad credentials'), 'github.unauthorized', false],
    ['403 permission', httpError(403, 'Resource not accessible by integration'), 'github.forbidden', false],
    ['404', httpError(404), 'github.not_found', false],
    ['422', httpError(422, 'Validation Failed'), 'github.rejected', false],
  ])('%s → %s (retryable %s)', (_name, error, code, retryable) => {
    const mapped = toGitHubError(error, 'create issue');
    expect(mapped).toBeInstanceOf(GitHubUnavailableError);
    expect(mapped).toMatchObject({ code, retryable });
    expect(mapped.message).toMatch(/^GitHub create issue failed/);
    expect(mapped.cause).toBe(error);
  });

  it('only 5xx and missing answers are ambiguous for writes', () => {
    expect(isAmbiguousWriteFailure(httpError(502))).toBe(true);
    expect(isAmbiguousWriteFailure(new TypeError('fetch failed'))).toBe(true);
    expect(isAmbiguousWriteFailure(httpError(422))).toBe(false);
    expect(isAmbiguousWriteFailure(httpError(403))).toBe(false);
  });
});
