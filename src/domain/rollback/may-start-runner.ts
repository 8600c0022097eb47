import { refuse, type Result } from '../result';
import type { RollbackRequest } from './rollback-request';

/**
 * Read back just before a runner starts: the request must still be in the state this execution
 * put it in — running, under this execution's token, the newest token handed out, on this
 * runner, not stopped. Anything else means a write was lost (a failover) or another claim
 * won, and this executor is stale: it must not start anything.
 */
export function mayStartRunner(request: RollbackRequest | null, token: number, latestToken: number, runnerIndex: number): Result<object> {
  if (!request) return refuse('fence.request_missing', 'the request is no longer stored');
  if (request.execution?.token !== token)
    return refuse('fence.other_execution', `the request belongs to execution ${request.execution?.token ?? 'none'}, not ${token}`);
  if (latestToken !== token)
    return refuse('fence.newer_token', `a newer execution (token ${latestToken}) was claimed; this one (${token}) is stale`);
  if (request.status !== 'running') return refuse('fence.wrong_state', `the request is ${request.status}, not running`);
  if (request.runnerIndex !== runnerIndex)
    return refuse('fence.wrong_runner', `the request is on runner ${request.runnerIndex + 1}, not ${runnerIndex + 1}`);
  if (request.stopRequested) return refuse('fence.stopped', 'a stop was asked');
  return { ok: true };
}
