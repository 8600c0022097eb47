import type { Octokit } from '@octokit/rest';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../../logger';
import { systemClock, type Clock } from '../../../domain/clock';
import { expandRecord } from '../../../domain/rollback/expand-placeholders';
import type { GitHubActionsRunnerSpec } from '../../../domain/rollback/rollback-plan';
import type { RollbackRunner, RunContext, RunResult } from '../../../domain/rollback/rollback-runner';
import { plainText } from '../../../domain/phrase';

export interface GitHubActionsRollbackRunnerOptions {
  octokit: Octokit;
  logger: Logger;
  clock?: Clock;
  /**
   * Ask GitHub to return the new run's id from the dispatch (`return_run_details`, 2026 API).
   * When the answer is the classic empty 204, the run is found by listing instead.
   */
  requestRunDetails?: boolean;
  /** How far our clock may be ahead of GitHub's when filtering runs by creation time. */
  clockSkewMs?: number;
}

interface WorkflowRun {
  id: number;
  status: string | null;
  conclusion: string | null;
  html_url: string;
}

class Stopped extends Error {}

// Lookups for a run dispatched just before a stop or a failed answer (GitHub lists a new run after a short lag).
const LATE_LOOKUPS = 5;
// Dispatches tried when GitHub's answer is ambiguous (5xx, no answer) and no run appeared.
const DISPATCH_ATTEMPTS = 3;

/** 5xx or no answer: GitHub may or may not have acted. 4xx (and 429/403 rate limits, retried by the throttling plugin) did not. */
function isAmbiguous(error: unknown): boolean {
  const status = (error as { status?: number }).status;
  return status === undefined || status >= 500;
}

/** Rejects as soon as `signal` aborts, even if `promise` (a retry back-off, say) would take longer. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined); // its own abort rejection is expected, not unhandled
    return Promise.reject(new Stopped());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Stopped());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(signal.aborted ? new Stopped() : e);
      },
    );
  });
}

function describeError(error: unknown): string {
  const e = error as { status?: number; message?: string };
  return e.status ? `GitHub answered ${e.status}: ${e.message}` : String(e.message ?? error);
}

/**
 * Dispatches a workflow_dispatch run and follows it to completion. At the deadline or on
 * abort it asks GitHub to cancel the run, so a rollback never keeps going unwatched.
 */
export class GitHubActionsRollbackRunner implements RollbackRunner<GitHubActionsRunnerSpec> {
  private readonly log: Logger;
  private readonly clock: Clock;

  constructor(private readonly options: GitHubActionsRollbackRunnerOptions) {
    this.log = options.logger.child({ component: 'github-actions-rollback-runner' });
    this.clock = options.clock ?? systemClock;
  }

  async run(ctx: RunContext<GitHubActionsRunnerSpec>): Promise<RunResult> {
    const { spec } = ctx;
    const started = this.clock();
    const elapsed = () => this.clock() - started;
    const inputs = expandRecord(spec.inputs, ctx.placeholders);
    if (!inputs.ok) return { outcome: 'failed', durationMs: 0, outputExcerpt: '', error: plainText(inputs.reason) };

    let stopReason: 'timed_out' | 'cancelled' | null = null;
    const stop = new AbortController();
    const halt = (reason: 'timed_out' | 'cancelled') => {
      stopReason ??= reason;
      stop.abort();
    };
    const timer = setTimeout(() => halt('timed_out'), spec.timeoutMs);
    const onAbort = () => halt('cancelled');
    if (ctx.signal.aborted) onAbort();
    ctx.signal.addEventListener('abort', onAbort, { once: true });

    const repo = { owner: spec.owner, repo: spec.repo };
    const signal = stop.signal;
    const call = <T>(promise: Promise<T>) => untilAborted(promise, signal);
    let run: WorkflowRun | null = null;
    let link: string | undefined;
    // Set once the dispatch may have reached GitHub: from then on a stop must find and cancel the run.
    let before: Set<number> | null = null;
    let dispatchSent = false;
    const lines: string[] = [];
    let findLateRun: (() => Promise<WorkflowRun | null>) | null = null;
    const note = (line: string) => lines.push(`${new Date(this.clock()).toISOString()} ${line}`);

    try {
      // Runs that already exist cannot be ours; remembering them makes the lookup below safe.
      const since = new Date(started - (this.options.clockSkewMs ?? 5 * 60_000)).toISOString();
      const listRuns = async (deadline: AbortSignal = signal) =>
        (
          await untilAborted(
            this.options.octokit.rest.actions.listWorkflowRuns({
              ...repo,
              workflow_id: spec.workflow,
              event: 'workflow_dispatch',
              created: `>=${since}`,
              per_page: 50,
              request: { signal: deadline },
            }),
            deadline,
          )
        ).data.workflow_runs as WorkflowRun[];
      const seen = new Set((await listRuns()).map((r) => r.id));
      before = seen;
      findLateRun = async () => {
        // After a stop the run's own signal is aborted: a few fresh, short lookups (the run shows up with a lag).
        for (let i = 0; i < LATE_LOOKUPS; i++) {
          const found = (await listRuns(AbortSignal.timeout(5_000))).find((r) => !seen.has(r.id));
          if (found) return found;
          await sleep(Math.min(spec.pollMs * 4, 2_000));
        }
        return null;
      };
      dispatchSent = true;

      // A dispatch is not idempotent: a 5xx or a lost answer may come after GitHub created the
      // run, and a blind retry would start a second rollback. So no automatic retry: look for
      // the run first, and dispatch again only when none appeared.
      let dispatch: Awaited<ReturnType<Octokit['rest']['actions']['createWorkflowDispatch']>> | null = null;
      for (let attempt = 1; !dispatch && !run; attempt++) {
        try {
          dispatch = await call(
            this.options.octokit.rest.actions.createWorkflowDispatch({
              ...repo,
              workflow_id: spec.workflow,
              ref: spec.ref,
              inputs: spec.fencingInput && ctx.fence ? { ...inputs.value, [spec.fencingInput]: String(ctx.fence.token) } : inputs.value,
              ...(this.options.requestRunDetails === false ? {} : { return_run_details: true }),
              request: { signal, retries: 0 },
            }),
          );
        } catch (failure) {
          if (stopReason || !isAmbiguous(failure) || attempt >= DISPATCH_ATTEMPTS) throw failure;
          note(`dispatch attempt ${attempt}: ${describeError(failure)}; looking for the run before trying again`);
          run = await findLateRun();
          if (run) note(`the failed dispatch had started run ${run.id}; using it`);
        }
      }
      if (dispatch) note(`dispatched ${spec.workflow} on ${spec.ref}`);
      // Typed as 204-only by this Octokit version; newer GitHub answers 200 with the run when asked.
      const details =
        dispatch && (dispatch.status as number) === 200
          ? (dispatch.data as { workflow_run_id?: number; html_url?: string } | undefined)
          : undefined;

      if (run) {
        // adopted from a dispatch whose answer was lost
      } else if (details?.workflow_run_id) {
        run = { id: Number(details.workflow_run_id), status: 'queued', conclusion: null, html_url: details.html_url ?? '' };
      } else {
        // GitHub's classic dispatch answers 204 with no run id: the newest dispatch run we had not seen is ours.
        while (!run) {
          run = (await listRuns()).find((r) => !seen.has(r.id)) ?? null;
          if (!run) await sleep(spec.pollMs, undefined, { signal });
        }
      }
      link = run.html_url || undefined;
      note(`run ${run.id} ${link ?? ''}`.trim());
      ctx.onProgress({ message: `workflow run ${run.id} ${run.status ?? 'queued'}`, link, elapsedMs: elapsed() });

      let lastStatus = run.status;
      for (;;) {
        const runId: number = run.id;
        const response = await call(this.options.octokit.rest.actions.getWorkflowRun({ ...repo, run_id: runId, request: { signal } }));
        const data = response.data;
        run = { id: data.id, status: data.status, conclusion: data.conclusion, html_url: data.html_url };
        link = run.html_url || link;
        if (run.status !== lastStatus) {
          lastStatus = run.status;
          note(`status ${run.status}`);
          ctx.onProgress({ message: `workflow run ${run.id} ${run.status}`, link, elapsedMs: elapsed() });
        }
        if (run.status === 'completed') {
          const conclusion = run.conclusion ?? 'unknown';
          note(`conclusion ${conclusion}`);
          const base = { conclusion, durationMs: elapsed(), outputExcerpt: lines.join('\n'), link };
          return conclusion === 'success'
            ? { ...base, outcome: 'succeeded' }
            : { ...base, outcome: 'failed', error: `workflow run concluded ${conclusion}` };
        }
        await sleep(spec.pollMs, undefined, { signal });
      }
    } catch (failure) {
      if (!stopReason) {
        const reason = describeError(failure);
        this.log.warn({ runner: spec.name, reason }, 'GitHub Actions rollback failed');
        note(reason);
        return { outcome: 'failed', durationMs: elapsed(), outputExcerpt: lines.join('\n'), link, error: reason };
      }
      const why = stopReason === 'timed_out' ? `no result after ${spec.timeoutMs} ms` : 'cancelled';
      // Stopped after dispatching but before the run was known: find it, or it would run on.
      if (!run && dispatchSent && before && findLateRun) {
        run = await findLateRun().catch(() => null);
        if (run) note(`found run ${run.id} after the stop`);
      }
      let error = run ? `${why}; cancel requested for run ${run.id}` : `${why}; no workflow run found to cancel`;
      if (run) {
        try {
          // A fresh, short deadline: the run's own signal is already aborted.
          await this.options.octokit.rest.actions.cancelWorkflowRun({
            ...repo,
            run_id: run.id,
            request: { signal: AbortSignal.timeout(10_000) },
          });
          note(`cancel requested for run ${run.id}`);
        } catch (cancelError) {
          error = `${why}; cancelling run ${run.id} failed: ${describeError(cancelError)}`;
          note(error);
        }
      }
      this.log.warn({ runner: spec.name, runId: run?.id, outcome: stopReason }, 'GitHub Actions rollback stopped');
      return {
        outcome: stopReason,
        conclusion: run?.conclusion ?? undefined,
        durationMs: elapsed(),
        outputExcerpt: lines.join('\n'),
        link,
        error,
      };
    } finally {
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onAbort);
    }
  }
}
