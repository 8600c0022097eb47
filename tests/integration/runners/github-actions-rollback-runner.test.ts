import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOctokit } from '../../../src/adapters/outbound/github/create-octokit';
import { GitHubActionsRollbackRunner } from '../../../src/adapters/outbound/runners/github-actions-rollback-runner';
import type { GitHubActionsRunnerSpec } from '../../../src/domain/rollback/rollback-plan';
import type { RunProgress } from '../../../src/domain/rollback/rollback-runner';
import { GitHubStandIn, inSequence, type StandInResponse } from '../../support/github-stand-in';

const logger = pino({ level: 'silent' });
const DISPATCH = '/repos/:owner/:repo/actions/workflows/:workflow/dispatches';
const LIST_RUNS = '/repos/:owner/:repo/actions/workflows/:workflow/runs';
const GET_RUN = '/repos/:owner/:repo/actions/runs/:run_id';
const CANCEL_RUN = '/repos/:owner/:repo/actions/runs/:run_id/cancel';

/** The fields of GitHub's workflow-run object that the runner reads, plus a few for realism. */
function workflowRun(id: number, status: string, conclusion: string | null = null) {
  return {
    id,
    name: 'Rollback',
    event: 'workflow_dispatch',
    status,
    conclusion,
    head_branch: 'main',
    run_number: id,
    html_url: `https://github.com/acme/web/actions/runs/${id}`,
    created_at: new Date().toISOString(),
    workflow_id: 161335,
    url: `https://api.github.com/repos/acme/web/actions/runs/${id}`,
  };
}
const runsList = (...runs: ReturnType<typeof workflowRun>[]): StandInResponse => ({
  body: { total_count: runs.length, workflow_runs: runs },
});

const spec = (overrides: Partial<GitHubActionsRunnerSpec> = {}): GitHubActionsRunnerSpec => ({
  kind: 'github_actions',
  name: 'gha',
  owner: 'acme',
  repo: 'web',
  workflow: 'rollback.yml',
  ref: 'main',
  inputs: { incident: '{incident_id}', release: '{previous_release}', reason: 'rollback of {service}' },
  timeoutMs: 5_000,
  pollMs: 50,
  ...overrides,
});
const placeholders = { incident_id: 'INC-20261121-001', previous_release: 'v1.4.2', service: 'web' };

describe('GitHubActionsRollbackRunner', () => {
  let github: GitHubStandIn;
  let runner: GitHubActionsRollbackRunner;

  beforeEach(async () => {
    github = new GitHubStandIn();
    await github.start();
    const octokit = createOctokit({ token: 'test-token', baseUrl: github.url, log: logger, pacing: false, retryBaseMs: 10 });
    runner = new GitHubActionsRollbackRunner({ octokit, logger });
  });
  afterEach(() => github.stop());

  async function run(s = spec(), signal = new AbortController().signal) {
    const progress: RunProgress[] = [];
    const result = await runner.run({ spec: s, placeholders, signal, onProgress: (p) => progress.push(p) });
    return { result, progress };
  }

  /** Classic GitHub: dispatch answers 204; the new run appears in the list only after the dispatch. */
  function classicGitHub(statuses: StandInResponse[]) {
    let dispatched = false;
    github.route('GET', LIST_RUNS, () =>
      dispatched
        ? runsList(workflowRun(42, 'queued'), workflowRun(7, 'completed', 'success'))
        : runsList(workflowRun(7, 'completed', 'success')),
    );
    github.route('POST', DISPATCH, () => ((dispatched = true), { status: 204 }));
    github.route('GET', GET_RUN, inSequence(...statuses));
    github.route('POST', CANCEL_RUN, () => ({ status: 202, body: {} }));
  }

  it('dispatches with expanded inputs, finds the new run and follows it to success', async () => {
    classicGitHub([
      { body: workflowRun(42, 'queued') },
      { body: workflowRun(42, 'in_progress') },
      { body: workflowRun(42, 'completed', 'success') },
    ]);
    const { result, progress } = await run();

    expect(result.outcome).toBe('succeeded');
    expect(result.conclusion).toBe('success');
    expect(result.link).toBe('https://github.com/acme/web/actions/runs/42');
    const [dispatch] = github.requestsTo('POST', DISPATCH);
    expect(dispatch!.params).toEqual({ owner: 'acme', repo: 'web', workflow: 'rollback.yml' });
    expect(dispatch!.headers.authorization).toBe('token test-token');
    expect(dispatch!.body).toEqual({
      ref: 'main',
      return_run_details: true,
      inputs: { incident: 'INC-20261121-001', release: 'v1.4.2', reason: 'rollback of web' },
    });
    const lists = github.requestsTo('GET', LIST_RUNS);
    expect(lists.length).toBeGreaterThanOrEqual(2);
    expect(lists[0]!.query.event).toBe('workflow_dispatch');
    expect(lists[0]!.query.created).toMatch(/^>=\d{4}-\d\d-\d\dT/);
    // Run 7 existed before the dispatch: it is never polled.
    expect(github.requestsTo('GET', GET_RUN).every((r) => r.params.run_id === '42')).toBe(true);
    expect(progress.map((p) => p.message)).toEqual(['workflow run 42 queued', 'workflow run 42 in_progress', 'workflow run 42 completed']);
    expect(progress.every((p) => p.link === 'https://github.com/acme/web/actions/runs/42')).toBe(true);
    expect(github.requestsTo('POST', CANCEL_RUN)).toHaveLength(0);
  });

  it('uses the run id GitHub returns when return_run_details is supported', async () => {
    github.route('GET', LIST_RUNS, () => runsList());
    github.route('POST', DISPATCH, () => ({
      status: 200,
      body: {
        workflow_run_id: 99,
        run_url: 'https://api.github.com/repos/acme/web/actions/runs/99',
        html_url: 'https://github.com/acme/web/actions/runs/99',
      },
    }));
    github.route('GET', GET_RUN, inSequence({ body: workflowRun(99, 'in_progress') }, { body: workflowRun(99, 'completed', 'success') }));
    const { result } = await run();
    expect(result.outcome).toBe('succeeded');
    expect(github.requestsTo('GET', LIST_RUNS)).toHaveLength(1); // only the snapshot before dispatching
    expect(github.requestsTo('GET', GET_RUN).map((r) => r.params.run_id)).toContain('99');
  });

  it('reports a failure conclusion as failed', async () => {
    classicGitHub([{ body: workflowRun(42, 'in_progress') }, { body: workflowRun(42, 'completed', 'failure') }]);
    const { result } = await run();
    expect(result.outcome).toBe('failed');
    expect(result.conclusion).toBe('failure');
    expect(result.error).toBe('workflow run concluded failure');
  });

  it('at the deadline cancels the run and reports timed_out', async () => {
    classicGitHub([{ body: workflowRun(42, 'in_progress') }]);
    const started = performance.now();
    const { result } = await run(spec({ timeoutMs: 400 }));
    expect(result.outcome).toBe('timed_out');
    expect(performance.now() - started).toBeLessThan(400 + 1_000);
    const cancels = github.requestsTo('POST', CANCEL_RUN);
    expect(cancels).toHaveLength(1);
    expect(cancels[0]!.params.run_id).toBe('42');
    expect(result.error).toContain('cancel requested for run 42');
  });

  it('on abort cancels the run and reports cancelled', async () => {
    classicGitHub([{ body: workflowRun(42, 'in_progress') }]);
    const controller = new AbortController();
    const pending = run(spec({ timeoutMs: 10_000 }), controller.signal);
    for (let i = 0; i < 100 && github.requestsTo('GET', GET_RUN).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    const { result } = await pending;
    expect(result.outcome).toBe('cancelled');
    expect(github.requestsTo('POST', CANCEL_RUN).map((r) => r.params.run_id)).toEqual(['42']);
  });

  it('stopped after the dispatch but before the run showed up: finds the run and cancels it (it would run on otherwise)', async () => {
    // The dispatch takes a moment to answer and GitHub lists the new run only 300 ms after it.
    let dispatchedAt = 0;
    github.route('GET', LIST_RUNS, () =>
      dispatchedAt && Date.now() - dispatchedAt > 300
        ? runsList(workflowRun(42, 'queued'), workflowRun(7, 'completed', 'success'))
        : runsList(workflowRun(7, 'completed', 'success')),
    );
    github.route('POST', DISPATCH, () => ((dispatchedAt = Date.now()), { status: 204, delayMs: 100 }));
    github.route('GET', GET_RUN, () => ({ body: workflowRun(42, 'queued') }));
    github.route('POST', CANCEL_RUN, () => ({ status: 202, body: {} }));
    const controller = new AbortController();
    const pending = run(spec({ timeoutMs: 10_000, pollMs: 100 }), controller.signal);
    for (let i = 0; i < 100 && github.requestsTo('POST', DISPATCH).length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    controller.abort(); // while the dispatch is still on its way back
    const { result } = await pending;
    expect(result.outcome).toBe('cancelled');
    expect(github.requestsTo('POST', CANCEL_RUN).map((r) => r.params.run_id)).toEqual(['42']);
    expect(result.error).toContain('cancel requested for run 42');
    expect(result.outputExcerpt).toContain('found run 42 after the stop');
  });

  it('stopped before anything was dispatched: nothing to cancel, and nothing is dispatched', async () => {
    classicGitHub([{ body: workflowRun(42, 'in_progress') }]);
    const controller = new AbortController();
    controller.abort();
    const { result } = await run(spec(), controller.signal);
    expect(result.outcome).toBe('cancelled');
    expect(github.requestsTo('POST', DISPATCH)).toHaveLength(0);
    expect(github.requestsTo('POST', CANCEL_RUN)).toHaveLength(0);
    expect(result.error).toContain('no workflow run found to cancel');
  });

  it('a 502 after GitHub created the run: the run is found and followed, never dispatched twice', async () => {
    let dispatched = false;
    github.route('POST', DISPATCH, () => ((dispatched = true), { status: 502, body: { message: 'Server Error' } }));
    github.route('GET', LIST_RUNS, () => (dispatched ? runsList(workflowRun(42, 'queued')) : runsList()));
    github.route('GET', GET_RUN, inSequence({ body: workflowRun(42, 'in_progress') }, { body: workflowRun(42, 'completed', 'success') }));
    const { result } = await run();
    expect(result.outcome).toBe('succeeded');
    expect(github.requestsTo('POST', DISPATCH)).toHaveLength(1);
    expect(result.outputExcerpt).toContain('the failed dispatch had started run 42; using it');
  });

  it('retries a 5xx on dispatch when no run appeared, and carries on', async () => {
    classicGitHub([{ body: workflowRun(42, 'completed', 'success') }]);
    let dispatched = false;
    const failTwice = inSequence(
      { status: 502, body: { message: 'Server Error' } },
      { status: 503, body: { message: 'Unavailable' } },
      { status: 204 },
    );
    github.route('POST', DISPATCH, (req) => {
      const answer = failTwice(req) as StandInResponse;
      if (answer.status === 204) dispatched = true;
      return answer;
    });
    github.route('GET', LIST_RUNS, () => (dispatched ? runsList(workflowRun(42, 'queued')) : runsList()));
    const { result } = await run();
    expect(result.outcome).toBe('succeeded');
    expect(github.requestsTo('POST', DISPATCH)).toHaveLength(3);
  });

  it('fails with GitHub’s answer on a 4xx, without retrying', async () => {
    github.route('GET', LIST_RUNS, () => runsList());
    github.route('POST', DISPATCH, () => ({ status: 422, body: { message: 'Unexpected inputs provided: ["reason"]' } }));
    const { result } = await run();
    expect(result.outcome).toBe('failed');
    expect(result.error).toContain('422');
    expect(result.error).toContain('Unexpected inputs');
    expect(github.requestsTo('POST', DISPATCH)).toHaveLength(1);
  });

  it('refuses an unknown placeholder in inputs before calling GitHub', async () => {
    const { result } = await run(spec({ inputs: { who: '{requested_by}' } }));
    expect(result.outcome).toBe('failed');
    expect(result.error).toBe('unknown placeholder {requested_by} in inputs.who');
    expect(github.requests).toHaveLength(0);
  });
});
