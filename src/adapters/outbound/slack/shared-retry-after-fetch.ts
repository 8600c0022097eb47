import type { RateLimitHolds } from '../../../app/ports/rate-limit-holds';
import type { Logger } from '../../../logger';
import { slackCallScopes } from './rate-limit-scopes';

type Fetch = typeof globalThis.fetch;

export interface SharedRetryAfterOptions {
  holds: RateLimitHolds;
  log: Logger;
  /** How long the hold check may take before the call goes ahead unchecked (Redis slow). */
  checkTimeoutMs?: number;
  /** False when the store is known to be unreachable: the call goes ahead at once, unchecked. */
  storeReady?: () => boolean;
  fetch?: Fetch;
}

/**
 * The Web API client's transport, with Slack's Retry-After shared through Redis: a 429 seen by
 * any replica holds that scope for all of them, and a call to a held scope is answered here
 * with the 429 Slack would give (same Retry-After, counted down), so the client's own handling
 * of rate limits (reject, or wait and retry) applies unchanged. The check fails open: with
 * Redis unreachable, Slack's own 429 still protects us, and posts must not wait on the store.
 */
export function sharedRetryAfterFetch({
  holds,
  log,
  checkTimeoutMs = 2_000,
  storeReady = () => true,
  fetch: inner = globalThis.fetch,
}: SharedRetryAfterOptions): Fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const scopes = slackCallScopes(url, init?.body);
    const left = storeReady() ? await withTimeout(holds.remainingMs(scopes.check), checkTimeoutMs).catch(() => 0) : 0;
    if (left > 0) {
      const retryAfter = Math.max(1, Math.ceil(left / 1000));
      log.info({ scopes: scopes.check, retryAfter }, 'Slack call held: another call was told to retry after this long');
      return new Response(JSON.stringify({ ok: false, error: 'ratelimited' }), {
        status: 429,
        headers: { 'content-type': 'application/json', 'retry-after': String(retryAfter) },
      });
    }
    const response = await inner(input, init);
    if (response.status === 429) {
      const seconds = Number(response.headers.get('retry-after'));
      if (Number.isFinite(seconds) && seconds > 0 && storeReady()) {
        await withTimeout(holds.hold(scopes.holdOn429, seconds * 1000), checkTimeoutMs).catch((error: unknown) =>
          log.warn(
            { err: error, scopes: scopes.holdOn429 },
            'could not share a Slack Retry-After with the other replicas (Redis); only this call waits',
          ),
        );
      }
    }
    return response;
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
