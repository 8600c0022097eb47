import { afterEach, describe, expect, it } from 'vitest';
import { startPaperBot, waitFor, type PaperBot } from './paper-trail-harness';

let bot: PaperBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const creates = (b: PaperBot) => b.github.requestsMatching('POST', /\/repos\/acme\/incidents\/issues$/);
const inIncidentPlace = (b: PaperBot, id: string, needle: string) =>
  b.slack.callsTo('chat.postMessage').filter((c) => String(c.args.text).includes(needle) && String(c.args.text).includes(id));

describe('GitHub issue per incident', () => {
  it('is created once when the create call answers 502 after creating, and linked from the announcement', async () => {
    bot = await startPaperBot();
    bot.github.failCreatesAfterCreating(1);
    const id = await bot.open();
    const issue = await bot.issueOf(id);
    expect(bot.github.issues.size).toBe(1);
    expect(creates(bot).map((r) => r.status)).toEqual([502]);
    expect(issue.title).toBe(`[P1] ${id} checkout errors`);
    expect(issue.labels).toEqual(['incident', 'severity:P1']);
    expect(issue.body).toContain(`<!-- incident-bot:${id} -->`);
    const stored = await bot.incident(id);
    expect(stored.timeline.map((e: any) => e.kind)).toContain('github_issue');
    await waitFor(
      () => bot!.slack.callsTo('chat.update').some((c) => JSON.stringify(c.args.blocks).includes(`issue #${issue.number}`)),
      'announcement links the issue',
    );
  });

  it('waits out a secondary rate limit (403 + retry-after) and creates the issue', async () => {
    bot = await startPaperBot();
    bot.github.secondaryRateLimit(1, 1, /\/issues$/);
    const started = Date.now();
    const id = await bot.open();
    await bot.issueOf(id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(bot.github.requests.filter((r) => r.fault === 'secondary-rate-limit')).toHaveLength(1);
    expect(bot.github.issues.size).toBe(1);
  });

  it('GitHub down: the incident flow is unaffected, Slack hears once that the issue is pending, and it is created after recovery', async () => {
    bot = await startPaperBot();
    bot.github.setDown(true);
    const id = await bot.open();
    // Announced and usable while GitHub answers 503.
    await waitFor(
      () => bot!.slack.callsTo('chat.postMessage').some((c) => String(c.args.text).includes(`${id} [P1] checkout errors`)),
      'announcement',
    );
    expect(await bot.ask(`note ${id} looking at the payment client`)).toContain('Note added');
    expect(await bot.ask(`severity ${id} P0`)).toContain('is now P0');
    await waitFor(() => inIncidentPlace(bot!, id, 'pending').length, 'pending notice');
    // Several failed attempts later, still one notice.
    await waitFor(() => bot!.github.requests.filter((r) => r.fault === 'down').length >= 6, 'retries while down', 10_000);
    expect(inIncidentPlace(bot, id, 'pending')).toHaveLength(1);
    expect(bot.github.issues.size).toBe(0);

    bot.github.setDown(false);
    const issue = await bot.issueOf(id);
    expect(bot.github.issues.size).toBe(1);
    expect(issue.labels).toContain('severity:P0');
    await waitFor(() => inIncidentPlace(bot!, id, 'created').length, 'created notice');
    // The notices go in the incident's place: the thread under its announcement.
    expect(inIncidentPlace(bot, id, 'pending')[0]!.args.thread_ts).toBeDefined();
    // Both timeline entries made while GitHub was down arrive as comments.
    await waitFor(() => issue.comments.length >= 1, 'severity comment');
    expect(issue.comments.map((c) => c.body).join('\n')).toContain('Severity P1 → P0');
  });

  it('comments and labels follow the timeline; closed on close, reopened on reopen', async () => {
    bot = await startPaperBot();
    const id = await bot.open('open P2 search is slow');
    const issue = await bot.issueOf(id);
    await bot.ask(`severity ${id} P1`);
    await bot.ask(`update ${id} identified cache node lost`);
    await bot.ask(`note ${id} not significant: notes stay in Slack`);
    await bot.ask(`resolve ${id} replaced the cache node --override "latency back to normal for 15 min"`);
    await waitFor(() => issue.labels.includes('severity:P1'), 'severity label');
    expect(issue.labels).toEqual(['incident', 'severity:P1']);
    expect(issue.title).toBe(`[P1] ${id} search is slow`);
    const timeline = (await bot.incident(id)).timeline;
    const significant = ['severity', 'status', 'status_update', 'recovery_override', 'resolution_summary'];
    const expected = timeline.filter((e: any) => significant.includes(e.kind));
    await waitFor(() => issue.comments.length >= expected.length, 'one comment per significant entry');
    expect(issue.comments).toHaveLength(expected.length);
    for (const [index, event] of expected.entries()) {
      expect(issue.comments[index]!.body).toContain(`<!-- incident-bot:comment:${id}:${event.id} -->`);
    }
    expect(issue.comments.map((c) => c.body).join('\n')).not.toContain('notes stay in Slack');

    // Someone closes the issue by hand; reopening the incident reopens it.
    issue.state = 'closed';
    expect(await bot.ask(`reopen ${id}`)).toContain('reopened');
    await waitFor(() => issue.state === 'open', 'issue reopened');
    await bot.ask(`resolve ${id} cache warmed --override "dashboards green"`);
    await bot.submitReport(id);
    expect(await bot.ask(`close ${id}`)).toContain('closed');
    await waitFor(() => issue.state === 'closed', 'issue closed');
    expect(issue.state_reason).toBe('completed');
    // Nothing was created twice across all those jobs.
    expect([...bot.github.issues.values()].filter((i) => i.labels.includes('incident'))).toHaveLength(1);
  });

  it('without GITHUB_TOKEN / GITHUB_REPOSITORY there is no GitHub work and nothing complains', async () => {
    bot = await startPaperBot({ github: false });
    const id = await bot.open();
    await bot.ask(`note ${id} hello`);
    await new Promise((r) => setTimeout(r, 300));
    expect(bot.github.requests).toHaveLength(0);
    expect((await bot.bot.store.get(id))?.github ?? null).toBeNull();
  });
});
