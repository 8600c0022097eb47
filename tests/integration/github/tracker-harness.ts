import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { createOctokit, type CreateOctokitOptions } from '../../../src/adapters/outbound/github/create-octokit';
import { GitHubIssueTracker, type GitHubIssueTrackerOptions } from '../../../src/adapters/outbound/github/github-issue-tracker';
import { createIncident, type Incident, type NewIncident } from '../../../src/domain/incident';
import type { GitHubIssuesStandIn } from '../../support/github-issues-stand-in';

export const TOKEN = 'ghp_test_token';

/** Log lines as objects, so tests can see what the adapter said. */
export function captureLogger() {
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines };
}

/** A tracker wired to the stand-in through the real Octokit stack, with test-sized waits. */
export function trackerFor(
  standIn: GitHubIssuesStandIn,
  octokit: Partial<CreateOctokitOptions> = {},
  tracker: Partial<GitHubIssueTrackerOptions> = {},
) {
  const { log, lines } = captureLogger();
  const client = createOctokit({
    baseUrl: standIn.url,
    token: TOKEN,
    log,
    retries: 2,
    retryBaseMs: 5,
    requestTimeoutMs: 2_000,
    pacing: false,
    throttleId: randomUUID(),
    ...octokit,
  });
  const instance = new GitHubIssueTracker({
    octokit: client,
    owner: standIn.owner,
    repo: standIn.repo,
    log,
    slackWorkspaceUrl: 'https://acme.slack.com',
    ...tracker,
  });
  return { tracker: instance, lines };
}

let counter = 0;
/** An incident opened now (the stand-in's `since` filter uses the real clock). */
export function openIncident(overrides: Partial<NewIncident> = {}, patch: Partial<Incident> = {}): Incident {
  counter += 1;
  const { incident } = createIncident(
    `INC-20261121-${String(counter).padStart(3, '0')}`,
    {
      title: 'Checkout error rate 18%',
      summary: 'Checkout requests fail with 500s after deploy v6.2.',
      severity: 'P1',
      severityReason: 'error_rate 18% > 15% → P1',
      service: 'checkout',
      openedBy: 'U0ALICE',
      ...overrides,
    },
    Date.now(),
  );
  return {
    ...incident,
    announcement: { channel: 'C0RESPONSE', ts: '1763733720.000100' },
    channel: { id: 'C0INC001', name: 'inc-20261121-001-checkout' },
    ...patch,
  };
}
