/**
 * True when a failure means Redis could not be reached (connection refused or lost, the
 * retries per request used up), not that a command was wrong. Such a failure is logged once
 * per outage by watchRedisHealth, so per-request paths answer the person and stay quiet.
 */
export function isRedisUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'MaxRetriesPerRequestError' || error.name === 'ClusterAllFailedError') return true;
  const code = (error as NodeJS.ErrnoException).code;
  if (code && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE'].includes(code)) return true;
  return /Connection is closed|Stream isn't writeable|connect ECONNREFUSED|Reached the max retries per request|None of startup nodes is available|All sentinels are unreachable|CLUSTERDOWN/.test(
    error.message,
  );
}
