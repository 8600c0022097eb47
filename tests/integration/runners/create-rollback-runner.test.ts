import { resolve } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOctokit } from '../../../src/adapters/outbound/github/create-octokit';
import { createRollbackRunner } from '../../../src/adapters/outbound/runners/create-rollback-runner';
import type { RunnerSpec } from '../../../src/domain/rollback/rollback-plan';
import { GitHubStandIn } from '../../support/github-stand-in';

const logger = pino({ level: 'silent' });
const SCRIPTS = resolve(__dirname, '../../fixtures/scripts');

describe('createRollbackRunner', () => {
  let stand: GitHubStandIn;
  beforeEach(async () => {
    stand = new GitHubStandIn();
    await stand.start();
  });
  afterEach(() => stand.stop());

  it('routes each spec to the adapter of its kind, and builds Octokit only when needed', async () => {
    let octokitsBuilt = 0;
    const runner = createRollbackRunner({
      logger,
      octokit: () => (octokitsBuilt++, createOctokit({ baseUrl: stand.url, log: logger, pacing: false })),
    });
    stand.route('POST', '/hook', () => ({ status: 204 }));
    const go = (spec: RunnerSpec) =>
      runner.run({ spec, placeholders: { incident_id: 'INC-1' }, signal: new AbortController().signal, onProgress: () => {} });

    const script = await go({
      kind: 'command',
      name: 's',
      argv: ['sh', `${SCRIPTS}/echo-argv.sh`, '{incident_id}'],
      timeoutMs: 5_000,
      graceMs: 200,
      outputCapBytes: 1024,
    });
    expect(script).toMatchObject({ outcome: 'succeeded', outputExcerpt: 'INC-1\n' });
    const http = await go({
      kind: 'http',
      name: 'h',
      url: `${stand.url}/hook`,
      body: { id: '{incident_id}' },
      successStatuses: [{ min: 204, max: 204 }],
      timeoutMs: 2_000,
    });
    expect(http.outcome).toBe('succeeded');
    expect(stand.requestsTo('POST', '/hook')[0]!.body).toEqual({ id: 'INC-1' });
    expect(octokitsBuilt).toBe(0);

    stand.route('GET', '/repos/:o/:r/actions/workflows/:w/runs', () => ({ body: { total_count: 0, workflow_runs: [] } }));
    stand.route('POST', '/repos/:o/:r/actions/workflows/:w/dispatches', () => ({
      status: 422,
      body: { message: 'No ref found for: nope' },
    }));
    const gha = await go({
      kind: 'github_actions',
      name: 'g',
      owner: 'acme',
      repo: 'web',
      workflow: 123,
      ref: 'nope',
      inputs: {},
      timeoutMs: 2_000,
      pollMs: 50,
    });
    expect(gha.outcome).toBe('failed');
    expect(gha.error).toContain('No ref found');
    expect(stand.requestsTo('POST', '/repos/:o/:r/actions/workflows/:w/dispatches')[0]!.params.w).toBe('123');
    expect(octokitsBuilt).toBe(1);
  });
});
