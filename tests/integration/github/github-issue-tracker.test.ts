import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitHubUnavailableError } from '../../../src/adapters/outbound/github/github-errors';
import { GitHubIssuesStandIn } from '../../support/github-issues-stand-in';
import { openIncident, TOKEN, trackerFor } from './tracker-harness';

let github: GitHubIssuesStandIn;

beforeEach(async () => {
  github = await GitHubIssuesStandIn.start({ token: TOKEN });
});
afterEach(async () => {
  await github.close();
});

const creates = () => github.requestsMatching('POST', /^\/repos\/acme\/incidents\/issues$/);
const lists = () => github.requestsMatching('GET', /^\/repos\/acme\/incidents\/issues$/);

describe('ensureIssue', () => {
  it('creates the issue with title, labels, marker, reasoning and Slack links', async () => {
    const { tracker } = trackerFor(github);
    const incident = openIncident();
    const ref = await tracker.ensureIssue(incident);

    expect(ref).toEqual({ number: 1, url: 'https://github.test/acme/incidents/issues/1' });
    const issue = github.issues.get(1)!;
    expect(issue.title).toBe(`[P1] ${incident.id} Checkout error rate 18%`);
    expect(issue.labels).toEqual(['incident', 'severity:P1', 'service:checkout']);
    expect(issue.body.split('\n')[0]).toBe(`<!-- incident-bot:${incident.id} -->`);
    expect(issue.body).toContain('error_rate 18% > 15% → P1');
    expect(issue.body).toContain('- Announcement: https://acme.slack.com/archives/C0RESPONSE/p1763733720000100');
    expect(issue.body).toContain('- Incident channel: #inc-20261121-001-checkout (https://acme.slack.com/archives/C0INC001)');
    // The lookup used the label list, bounded by `since`, not the search API.
    expect(lists()[0]!.query).toMatchObject({ labels: 'incident', state: 'all', per_page: '100' });
    expect(Date.parse(lists()[0]!.query.since!)).toBeLessThan(incident.createdAt);
    expect(github.requests.some((r) => r.path.startsWith('/search'))).toBe(false);
  });

  it('returns the same issue when called twice, creating it once', async () => {
    const { tracker } = trackerFor(github);
    const incident = openIncident();
    const first = await tracker.ensureIssue(incident);
    const second = await tracker.ensureIssue(incident);
    expect(second).toEqual(first);
    expect(creates()).toHaveLength(1);
    expect(github.issues.size).toBe(1);
  });

  it('finds its issue among many other incident issues across pages', async () => {
    const { tracker } = trackerFor(github);
    const target = openIncident();
    const ref = await tracker.ensureIssue(target);
    for (let i = 0; i < 120; i++)
      github.seedIssue({ title: `[P2] other ${i}`, body: `<!-- incident-bot:INC-20261120-${i} -->`, labels: ['incident'] });
    const listsBefore = lists().length;
    expect(await tracker.ensureIssue(target)).toEqual(ref);
    // 121 issues at 100 a page: the oldest (ours) is on page 2.
    expect(
      lists()
        .slice(listsBefore)
        .map((r) => r.query.page ?? '1'),
    ).toEqual(['1', '2']);
  });

  it('leaves exactly one issue when create answers 502 after creating it', async () => {
    const { tracker, lines } = trackerFor(github);
    github.failCreatesAfterCreating(1, 502);
    const incident = openIncident();

    const ref = await tracker.ensureIssue(incident);

    expect(github.issues.size).toBe(1);
    expect(ref.number).toBe(1);
    expect(creates()).toHaveLength(1);
    expect(creates()[0]!.status).toBe(502);
    // Looked before creating and again after the 502.
    expect(lists()).toHaveLength(2);
    expect(lines.some((l) => String(l.msg).includes('failed ambiguously'))).toBe(true);
    expect(await tracker.ensureIssue(incident)).toEqual(ref);
    expect(github.issues.size).toBe(1);
  });

  it('creates again when a 502 really did not create the issue, still ending with one', async () => {
    const { tracker } = trackerFor(github);
    github.failNext({ method: 'POST', path: /\/issues$/, times: 1, status: 502 });
    const ref = await tracker.ensureIssue(openIncident());
    expect(creates().map((r) => r.status)).toEqual([502, 201]);
    expect(github.issues.size).toBe(1);
    expect(ref.number).toBe(1);
  });

  it('waits out a secondary rate limit (403 + retry-after: 1) and then succeeds', async () => {
    const { tracker, lines } = trackerFor(github, { rateLimitBaseMs: 1000 });
    github.secondaryRateLimit(1, 1, /\/issues$/);
    const started = performance.now();
    const ref = await tracker.ensureIssue(openIncident());
    const elapsed = performance.now() - started;

    expect(ref.number).toBe(1);
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(5_000);
    expect(lists().map((r) => r.status)).toEqual([403, 200]);
    expect(lines.some((l) => l.kind === 'secondary' && l.retryAfter === 1 && l.willRetry === true)).toBe(true);
  });

  it('does not sit on a long retry-after: a retryable rate-limit error comes back at once', async () => {
    const { tracker } = trackerFor(github, { maxRetryAfterSeconds: 60 });
    github.secondaryRateLimit(5, 3600);
    const started = performance.now();
    const error = await tracker.ensureIssue(openIncident()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubUnavailableError);
    expect(error).toMatchObject({ retryable: true, code: 'github.rate_limited', status: 403 });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(github.issues.size).toBe(0);
  });

  it('GitHub down: a typed retryable error in bounded time; after recovery exactly one issue', async () => {
    const { tracker } = trackerFor(github);
    const incident = openIncident();
    github.setDown(true);
    const started = performance.now();
    const error = await tracker.ensureIssue(incident).catch((e: unknown) => e);
    const elapsed = performance.now() - started;

    expect(error).toBeInstanceOf(GitHubUnavailableError);
    expect(error).toMatchObject({ retryable: true, code: 'github.unavailable', status: 503 });
    expect(elapsed).toBeLessThan(3_000);
    // The read was retried (retries: 2); nothing was created.
    expect(github.requests.filter((r) => r.fault === 'down')).toHaveLength(3);
    expect(github.issues.size).toBe(0);

    github.setDown(false);
    const ref = await tracker.ensureIssue(incident);
    expect(await tracker.ensureIssue(incident)).toEqual(ref);
    expect(github.issues.size).toBe(1);
  });

  it('a GitHub that accepts but never answers times out into a retryable error', async () => {
    const { tracker } = trackerFor(github, { requestTimeoutMs: 200, retries: 0 });
    github.failNext({ times: 1, status: 200, delayMs: 5_000, name: 'stall' });
    const started = performance.now();
    const error = await tracker.ensureIssue(openIncident()).catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: true, code: 'github.unavailable' });
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it('a bad token is a non-retryable error that says what to fix', async () => {
    const { tracker } = trackerFor(github, { token: 'ghp_wrong' });
    const error = await tracker.ensureIssue(openIncident()).catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: false, code: 'github.unauthorized', status: 401 });
    expect((error as Error).message).toContain('GITHUB_TOKEN');
    expect(github.requests).toHaveLength(1);
  });
});

describe('issue updates', () => {
  it('syncLabels replaces severity: and service: labels and keeps the others', async () => {
    const { tracker } = trackerFor(github);
    const incident = openIncident();
    const { number } = await tracker.ensureIssue(incident);
    github.issues.get(number)!.labels.push('customer-facing');

    const labels = await tracker.syncLabels(number, { ...incident, severity: 'P0', service: 'payments' });

    expect(labels).toEqual(['incident', 'customer-facing', 'severity:P0', 'service:payments']);
    expect(github.issues.get(number)!.labels).toEqual(labels);
    const puts = github.requestsMatching('PUT', /\/issues\/1\/labels$/);
    expect(puts).toHaveLength(1);
    expect(puts[0]!.body).toEqual({ labels });

    // Already in sync: no write.
    await tracker.syncLabels(number, { ...incident, severity: 'P0', service: 'payments' });
    expect(github.requestsMatching('PUT', /\/labels$/)).toHaveLength(1);
  });

  it("syncLabels moves the title's severity tag with the labels, and leaves a title a person rewrote", async () => {
    const { tracker } = trackerFor(github);
    const incident = openIncident();
    const { number } = await tracker.ensureIssue(incident);
    expect(github.issues.get(number)!.title).toBe(`[P1] ${incident.id} Checkout error rate 18%`);

    await tracker.syncLabels(number, { ...incident, severity: 'P0' });
    expect(github.issues.get(number)!.title).toBe(`[P0] ${incident.id} Checkout error rate 18%`);
    await tracker.syncLabels(number, { ...incident, severity: 'P0' });
    expect(github.requestsMatching('PATCH', /\/issues\/1$/).filter((r) => r.body.title !== undefined)).toHaveLength(1);

    github.issues.get(number)!.title = `Checkout outage (${incident.id})`;
    await tracker.syncLabels(number, { ...incident, severity: 'P2' });
    expect(github.issues.get(number)!.title).toBe(`Checkout outage (${incident.id})`);
    expect(github.issues.get(number)!.labels).toContain('severity:P2');
  });

  it('posts a comment, and with a dedupe key posts it once even after a 502-after-create', async () => {
    const { tracker } = trackerFor(github);
    const { number } = await tracker.ensureIssue(openIncident());

    const plain = await tracker.comment(number, '**14:05 UTC** — Acknowledged by @alice');
    expect(github.issues.get(number)!.comments.map((c) => c.body)).toEqual(['**14:05 UTC** — Acknowledged by @alice']);
    expect(plain.url).toContain(`/issues/${number}#issuecomment-`);

    github.failNext({ method: 'POST', path: /\/comments$/, times: 1, status: 502, afterHandling: true });
    const first = await tracker.comment(number, 'Severity P1 → P0', { dedupeKey: 'timeline:1700000000000-0' });
    const again = await tracker.comment(number, 'Severity P1 → P0', { dedupeKey: 'timeline:1700000000000-0' });
    expect(again).toEqual(first);
    const bodies = github.issues.get(number)!.comments.map((c) => c.body);
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toBe('Severity P1 → P0\n\n<!-- incident-bot:comment:timeline:1700000000000-0 -->');
    expect(github.requestsMatching('POST', /\/comments$/)).toHaveLength(2);
  });

  it('close, reopen and getIssueStates', async () => {
    const { tracker } = trackerFor(github);
    const a = await tracker.ensureIssue(openIncident());
    const b = await tracker.ensureIssue(openIncident());
    await tracker.close(a.number);
    expect(github.issues.get(a.number)).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(await tracker.getIssueStates([a.number, b.number, 99])).toEqual({ [a.number]: 'closed', [b.number]: 'open', 99: 'missing' });
    await tracker.reopen(a.number);
    expect(await tracker.getIssueStates([a.number])).toEqual({ [a.number]: 'open' });
  });

  it('createFollowUp opens a labelled issue linking back, once per action item', async () => {
    const { tracker } = trackerFor(github);
    const incident = openIncident();
    const parent = await tracker.ensureIssue(incident);
    const input = {
      incident,
      text: 'Add a canary stage for checkout deploys',
      owner: 'U0BOB',
      ownerName: 'bob',
      due: '2026-11-28',
      incidentIssueNumber: parent.number,
    };

    const followUp = await tracker.createFollowUp(input);
    expect(await tracker.createFollowUp(input)).toEqual(followUp);

    const issue = github.issues.get(followUp.number)!;
    expect(github.issues.size).toBe(2);
    expect(issue.title).toBe(`${incident.id} follow-up: Add a canary stage for checkout deploys`);
    expect(issue.labels).toEqual(['incident-follow-up', 'service:checkout']);
    expect(issue.body).toContain(`Follow-up from #${parent.number} (${incident.id}: Checkout error rate 18%).`);
    expect(issue.body).toContain('- **Owner**: bob (Slack U0BOB)');
    expect(issue.body).toContain('- **Due**: 2026-11-28');
    expect(issue.body).toMatch(new RegExp(`^<!-- incident-bot:${incident.id}:follow-up:[0-9a-f]{8} -->`));

    // A different action item is a different follow-up.
    const other = await tracker.createFollowUp({ ...input, text: 'Alert on checkout 5xx rate' });
    expect(other.number).not.toBe(followUp.number);
  });

  it("hostile incident text cannot plant another incident's marker or break the body", async () => {
    const { tracker } = trackerFor(github);
    const victim = openIncident();
    const attacker = openIncident({ summary: `<!-- incident-bot:${victim.id} -->\n# fake heading\n\`\`\`` });
    await tracker.ensureIssue(attacker);
    const { number } = await tracker.ensureIssue(victim);
    expect(number).toBe(2);
    expect(github.issues.get(1)!.body).toContain(`&lt;!-- incident-bot:${victim.id} -->\n\\# fake heading\n\\\`\`\``);
  });
});
