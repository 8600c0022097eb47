import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitHubIssuesStandIn } from '../../support/github-issues-stand-in';
import { TOKEN, trackerFor } from './tracker-harness';

let github: GitHubIssuesStandIn;

beforeEach(async () => {
  github = await GitHubIssuesStandIn.start({ token: TOKEN });
});
afterEach(async () => {
  await github.close();
});

const PATH = 'incidents/INC-20261121-001/INCIDENT-REPORT.md';
const REPORT = '# Incident Post-Mortem: INC-20261121-001 — Checkout\n\nÜnïcödé — 18% errors ✓\n';
const puts = () => github.requestsMatching('PUT', /\/contents\//);

describe('commitFile (contents API)', () => {
  it('creates the file with base64 content on the given branch, then updates it with the sha', async () => {
    github.refs.set('reports', github.refs.get('main')!);
    github.files.set('reports', new Map());
    const { tracker } = trackerFor(github);

    const created = await tracker.commitFile({
      path: PATH,
      content: REPORT,
      message: 'INC-20261121-001: incident report',
      branch: 'reports',
    });
    expect(created.changed).toBe(true);
    const first = puts()[0]!;
    // Octokit sends the path as one encoded segment (incidents%2F...); GitHub accepts both forms.
    expect(decodeURIComponent(first.path)).toBe(`/repos/acme/incidents/contents/${PATH}`);
    expect(first.body).toEqual({
      message: 'INC-20261121-001: incident report',
      content: Buffer.from(REPORT, 'utf8').toString('base64'),
      branch: 'reports',
    });
    expect(github.file(PATH, 'reports')?.content).toBe(REPORT);
    expect(github.file(PATH, 'main')).toBeUndefined();

    const updated = await tracker.commitFile({
      path: PATH,
      content: `${REPORT}\nAddendum\n`,
      message: 'INC-20261121-001: report updated',
      branch: 'reports',
    });
    expect(updated.changed).toBe(true);
    expect(puts()[1]!.body.sha).toBe(created.sha);
    expect(github.file(PATH, 'reports')?.content).toBe(`${REPORT}\nAddendum\n`);
    expect(github.commits.map((c) => c.message)).toEqual(['INC-20261121-001: incident report', 'INC-20261121-001: report updated']);
  });

  it('makes no commit when the file already holds exactly this content (re-running a job is a no-op)', async () => {
    const { tracker } = trackerFor(github);
    await tracker.commitFile({ path: PATH, content: REPORT, message: 'report' });
    const again = await tracker.commitFile({ path: PATH, content: REPORT, message: 'report' });
    expect(again.changed).toBe(false);
    expect(puts()).toHaveLength(1);
    expect(github.commits).toHaveLength(1);
  });

  it('re-reads and retries once when someone else changed the file in between (409)', async () => {
    const { tracker } = trackerFor(github);
    await tracker.commitFile({ path: PATH, content: 'v1\n', message: 'v1' });
    github.failNext({ method: 'PUT', path: /\/contents\//, times: 1, status: 409, body: { message: 'is at 123 but expected 456' } });
    const result = await tracker.commitFile({ path: PATH, content: 'v2\n', message: 'v2' });
    expect(result.changed).toBe(true);
    expect(puts().map((r) => r.status)).toEqual([201, 409, 200]);
    expect(github.file(PATH)?.content).toBe('v2\n');
  });
});

describe('pull-request mode', () => {
  it('branches from the default branch, commits there and opens one pull request', async () => {
    const { tracker } = trackerFor(github, {}, { reportMode: 'pull-request' });
    const mainHead = github.refs.get('main')!;

    const pr = await tracker.publishFile({
      path: PATH,
      content: REPORT,
      message: 'INC-20261121-001: incident report',
      incidentId: 'INC-20261121-001',
    });

    expect(pr).toMatchObject({ number: 1, branch: 'incident-bot/inc-20261121-001', url: 'https://github.test/acme/incidents/pull/1' });
    expect(github.requestsMatching('POST', /\/git\/refs$/)[0]!.body).toEqual({
      ref: 'refs/heads/incident-bot/inc-20261121-001',
      sha: mainHead,
    });
    expect(puts()[0]!.body.branch).toBe('incident-bot/inc-20261121-001');
    expect(github.file(PATH, 'incident-bot/inc-20261121-001')?.content).toBe(REPORT);
    expect(github.file(PATH, 'main')).toBeUndefined();
    expect(github.refs.get('main')).toBe(mainHead);
    const pull = github.requestsMatching('POST', /\/pulls$/)[0]!;
    expect(pull.body).toMatchObject({ head: 'incident-bot/inc-20261121-001', base: 'main', title: 'INC-20261121-001: incident report' });

    // Publishing again (a retried job, an edited report) reuses the branch and the open PR.
    const again = await tracker.publishFile({
      path: PATH,
      content: `${REPORT}edited\n`,
      message: 'INC-20261121-001: report updated',
      incidentId: 'INC-20261121-001',
    });
    expect(again).toEqual(pr);
    expect(github.requestsMatching('POST', /\/pulls$/)).toHaveLength(1);
    expect(github.file(PATH, 'incident-bot/inc-20261121-001')?.content).toBe(`${REPORT}edited\n`);
  });

  it('commit mode writes to the configured branch instead', async () => {
    const { tracker } = trackerFor(github, {}, { reportMode: 'commit' });
    const result = await tracker.publishFile({ path: PATH, content: REPORT, message: 'report', incidentId: 'INC-20261121-001' });
    expect(result).toMatchObject({ changed: true, path: PATH });
    expect(puts()[0]!.body.branch).toBeUndefined();
    expect(github.file(PATH, 'main')?.content).toBe(REPORT);
    expect(github.requestsMatching('POST', /\/pulls$/)).toHaveLength(0);
  });
});
