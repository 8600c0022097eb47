import { isRetryable } from '../../../app/ports/pager';

/** What one HTTP attempt came back with; status null when there was no HTTP answer (timeout, reset, TLS). */
export interface AttemptOutcome<T> {
  status: number | null;
  value?: T;
  error?: string;
}

export interface CallResult<T> {
  ok: boolean;
  /** Last HTTP status seen, null when no attempt got an answer. */
  status: number | null;
  attempts: number;
  value?: T;
  error?: string;
}

export interface RetryPolicy {
  maxAttempts: number;
  /** Each attempt is aborted after this long. */
  attemptTimeoutMs: number;
  /** Delay before retry n is backoffMs * 2^(n-1), capped, with jitter. */
  backoffMs: number;
  maxBackoffMs: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` until success (2xx), a non-retryable status, or maxAttempts; never throws.
 * Each attempt gets an AbortSignal that fires at attemptTimeoutMs, and is raced against the same
 * deadline in case the client ignores the signal somewhere: nothing outlives the call but a
 * settled promise.
 */
export async function callWithRetry<T>(
  policy: RetryPolicy,
  attempt: (signal: AbortSignal) => Promise<AttemptOutcome<T>>,
): Promise<CallResult<T>> {
  let last: AttemptOutcome<T> = { status: null, error: 'not attempted' };
  for (let n = 1; n <= policy.maxAttempts; n++) {
    last = await withDeadline(policy.attemptTimeoutMs, attempt);
    if (last.status !== null && last.status >= 200 && last.status < 300) {
      return { ok: true, status: last.status, attempts: n, value: last.value as T };
    }
    if (!isRetryable(last.status) || n === policy.maxAttempts) {
      return { ok: false, status: last.status, attempts: n, error: last.error ?? `HTTP ${last.status}` };
    }
    const delay = Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** (n - 1));
    await sleep(delay / 2 + Math.random() * (delay / 2));
  }
  return { ok: false, status: last.status, attempts: policy.maxAttempts, error: last.error };
}

async function withDeadline<T>(
  timeoutMs: number,
  attempt: (signal: AbortSignal) => Promise<AttemptOutcome<T>>,
): Promise<AttemptOutcome<T>> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<AttemptOutcome<T>>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({ status: null, error: `no answer within ${timeoutMs} ms` });
    }, timeoutMs);
  });
  const call = attempt(controller.signal).catch((err: unknown): AttemptOutcome<T> => ({ status: statusOf(err), error: messageOf(err) }));
  try {
    return await Promise.race([call, deadline]);
  } finally {
    clearTimeout(timer);
    controller.abort(); // a lingering socket of a lost race is closed, not left open
  }
}

/** pdjs rejects with the Response itself when a REST body is not JSON. */
function statusOf(err: unknown): number | null {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : null;
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.name === 'AbortError' ? 'request aborted (timeout)' : err.message;
  const status = statusOf(err);
  return status !== null ? `HTTP ${status} with a body that is not JSON` : String(err);
}
