import { retry } from '@octokit/plugin-retry';
import { throttling, type ThrottlingOptions } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import type { Logger } from 'pino';
import { redactText } from '../../../domain/redaction/redact-text';

const GitHubOctokit = Octokit.plugin(retry, throttling);
export type GitHubClient = InstanceType<typeof GitHubOctokit>;

export interface CreateOctokitOptions {
  /** GITHUB_API_URL; tests point it at a loopback stand-in. */
  baseUrl: string;
  token?: string;
  log: Logger;
  /** Retries of idempotent requests on 5xx and network errors (plugin-retry). Default 3. */
  retries?: number;
  /** plugin-retry waits (n+1)² × this before retry n. Default 1000 ms; tests shorten it. */
  retryBaseMs?: number;
  /** How often one request may wait out a rate limit before giving up. Default 2. */
  maxRateLimitRetries?: number;
  /**
   * Longest `retry-after` we wait in-process. A primary-limit reset can be an hour away;
   * holding a job that long helps nobody, so longer waits surface as a retryable error
   * and the job queue comes back later. Default 60 s.
   */
  maxRetryAfterSeconds?: number;
  /** Multiplies `retry-after` seconds. Default 1000 (real seconds). */
  rateLimitBaseMs?: number;
  /** Per-request timeout, so a GitHub that accepts but never answers cannot hang a job. Default 10 s. */
  requestTimeoutMs?: number;
  /**
   * GitHub asks integrations to space content-creating requests (plugin-throttling paces
   * writes 1 s and issue/comment creation 3 s apart). Tests turn pacing off to run fast.
   */
  pacing?: boolean;
  /** Separates throttling state between clients in one process (tests use one per test). */
  throttleId?: string;
  /**
   * When given, every issue, comment and committed file this client sends is redacted first
   * (these secrets by value, and every token shape): the paper trail's one exit to GitHub.
   */
  secrets?: readonly string[];
}

// The request parameters that carry text we wrote from incidents: issue and comment bodies,
// titles, commit messages, pull request text; `content` is a committed file, base64.
const TEXT_PARAMS = ['title', 'body', 'message'] as const;

/** Octokit with retries for transient failures and waiting out (bounded) rate limits. */
export function createOctokit(options: CreateOctokitOptions): GitHubClient {
  const log = options.log.child({ component: 'github' });
  const maxRateLimitRetries = options.maxRateLimitRetries ?? 2;
  const maxRetryAfter = options.maxRetryAfterSeconds ?? 60;
  const onLimit =
    (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      const willRetry = retryCount < maxRateLimitRetries && retryAfter <= maxRetryAfter;
      log.warn(
        { kind, retryAfter, retryCount, method: request.method, url: request.url, willRetry },
        `GitHub ${kind} rate limit hit; ${willRetry ? `retrying after ${retryAfter}s` : 'giving up, the job will be retried later'}`,
      );
      return willRetry;
    };
  const throttle: ThrottlingOptions = {
    id: options.throttleId ?? 'incident-bot',
    retryAfterBaseValue: options.rateLimitBaseMs ?? 1000,
    fallbackSecondaryRateRetryAfter: 60,
    onRateLimit: onLimit('primary'),
    onSecondaryRateLimit: onLimit('secondary'),
    ...(options.pacing === false ? unpacedGroups() : {}),
  };
  const octokit = new GitHubOctokit({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    ...(options.token ? { auth: options.token } : {}),
    userAgent: 'incident-bot',
    log: {
      debug: (message: string) => log.debug(message),
      info: (message: string) => log.info(message),
      warn: (message: string) => log.warn(message),
      error: (message: string) => log.error(message),
    },
    retry: { retries: options.retries ?? 3, retryAfterBaseValue: options.retryBaseMs ?? 1000 },
    throttle,
    request: { fetch: fetchWithTimeout(options.requestTimeoutMs ?? 10_000) },
  });
  const { secrets } = options;
  if (secrets) {
    octokit.hook.before('request', (request) => {
      const params = request as Record<string, unknown>;
      for (const name of TEXT_PARAMS) if (typeof params[name] === 'string') params[name] = redactText(params[name], secrets);
      if (typeof params.content === 'string') {
        params.content = Buffer.from(redactText(Buffer.from(params.content, 'base64').toString('utf8'), secrets), 'utf8').toString(
          'base64',
        );
      }
    });
  }
  return octokit;
}

function fetchWithTimeout(timeoutMs: number): typeof fetch {
  return (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return fetch(input, { ...init, signal });
  };
}

/**
 * plugin-throttling only calls `group.key(id).schedule(options, fn, ...args)`; a group
 * that runs jobs at once disables pacing without depending on bottleneck directly.
 */
function unpacedGroups(): Pick<ThrottlingOptions, 'write' | 'search' | 'notifications'> {
  const immediate = {
    key: () => ({
      schedule: (_options: unknown, job: (...args: unknown[]) => unknown, ...args: unknown[]) => Promise.resolve().then(() => job(...args)),
    }),
  };
  const group = immediate as unknown as NonNullable<ThrottlingOptions['write']>;
  return { write: group, search: group, notifications: group };
}
