import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createIncident, type Incident } from '../../../src/domain/incident';
import { isSignificant } from '../../../src/domain/paper-trail/issue-comment';
import { SEVERITIES, severityRank } from '../../../src/domain/severity';
import { deliverEvent } from '../../support/slack-requests';
import { startBot, waitFor, type RunningBot } from '../../support/start-bot';
import { startPaperBot, type PaperBot } from '../paper-trail/paper-trail-harness';

// What a person sees must not cost more with more incidents open: list and App Home show the
// 20 most urgent and the count, show the last 15 timeline entries; the GitHub sync posts each
// comment once without re-reading the issue's comments.

const OPEN = 60;
const idsShown = (blocks: unknown) => [...JSON.stringify(blocks).matchAll(/\*(INC-\d{8}-\d{3})\*/g)].map((m) => m[1]!);
const mostUrgentFirst = (incidents: Incident[]) =>
  [...incidents].sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || a.createdAt - b.createdAt).map((i) => i.id);

describe('list and App Home read one page of the most urgent open incidents', () => {
  let bot: RunningBot;
  const seeded: Incident[] = [];
  let slack: RunningBot['slack'];

  beforeAll(async () => {
    bot = await startBot();
    slack = bot.slack;
    // Sixty open incidents, severities mixed, one minute apart (the first the oldest).
    const start = Date.now() - OPEN * 60_000;
    for (let i = 0; i < OPEN; i++) {
      const severity = SEVERITIES[(i * 7) % 4]!;
      const built = createIncident('', { title: `seeded ${i}`, severity, openedBy: 'U0SEED' }, start + i * 60_000);
      seeded.push((await bot.bot.store.create(built)).incident);
    }
  }, 30_000);
  afterAll(async () => {
    await bot?.stop();
    await slack?.stop();
  });

  const list = async (b = bot) => {
    const answer = b.replies((await b.command('list', { user: 'U0ALICE' })).responseId)[0]!;
    return { text: JSON.stringify(answer.blocks), ids: idsShown(answer.blocks) };
  };

  it('`/incident list` shows 20, P0 first then oldest first, with the total', async () => {
    const shown = await list();
    expect(shown.ids).toEqual(mostUrgentFirst(seeded).slice(0, 20));
    expect(shown.text).toContain(`Open incidents (${OPEN})`);
    expect(shown.text).toContain(`Showing 20 of ${OPEN}`);
  });

  it('a resolved incident leaves the list and the count; a severity raised moves it up', async () => {
    const first = mostUrgentFirst(seeded)[0]!;
    const lastP3 = mostUrgentFirst(seeded).at(-1)!;
    await bot.command(`resolve ${first} fixed --override "seeded"`, { user: 'U0ALICE' });
    await waitFor(async () => (await bot.bot.store.get(first))?.status === 'resolved', 'resolved', 5_000);
    await bot.command(`severity ${lastP3} P0`, { user: 'U0ALICE' });
    await waitFor(async () => (await bot.bot.store.get(lastP3))?.severity === 'P0', 'raised', 5_000);

    const shown = await list();
    expect(shown.ids).not.toContain(first);
    expect(shown.text).toContain(`Open incidents (${OPEN - 1})`);
    // The raised one is the newest P0: last of the P0s, which all fit on the page.
    const p0s = seeded.filter((i) => i.severity === 'P0' && i.id !== first).length;
    expect(shown.ids.indexOf(lastP3)).toBe(p0s);
  });

  it('App Home shows the same page and count', async () => {
    const shown = await list();
    await deliverEvent(bot.baseUrl, { type: 'app_home_opened', user: 'U0VIEWER', channel: 'D0', tab: 'home' }, { eventId: 'EvCostHome1' });
    const published = await waitFor(() => bot.slack.callsTo('views.publish').find((c) => c.args.user_id === 'U0VIEWER'), 'App Home');
    expect(idsShown(published.args.view)).toEqual(shown.ids);
    expect(JSON.stringify(published.args.view)).toContain(`Open incidents (${OPEN - 1})`);
    expect(JSON.stringify(published.args.view)).toContain(`Showing 20 of ${OPEN - 1}`);
  });

  it('data from a version without the severity order is listed after a restart', { timeout: 30_000 }, async () => {
    const before = await list();
    await bot.bot.redis.del(`${bot.prefix}incidents:open-order`);
    await bot.stop({ cleanup: false });
    bot = await startBot({ prefix: bot.prefix, slack: bot.slack });
    expect((await list()).ids).toEqual(before.ids);
  });

  it('`/incident show` shows the last 15 timeline entries and says where the earlier ones are', async () => {
    const id = seeded[1]!.id;
    await bot.bot.store.appendTimeline(
      id,
      Array.from({ length: 40 }, (_, n) => ({ at: Date.now() + n, actor: 'U0ALICE', kind: 'note', text: `entry number ${n}.` })),
    );
    const answer = bot.replies((await bot.command(`show ${id}`, { user: 'U0ALICE' })).responseId)[0]!;
    const text = JSON.stringify(answer.blocks);
    for (let n = 25; n < 40; n++) expect(text).toContain(`entry number ${n}.`);
    expect(text).not.toContain('entry number 24.');
    // 41 entries: "opened" and the 40 notes.
    expect(text).toContain(`41 entries, last 15 shown; 26 earlier entries in GET /api/incidents/${id}`);
  });
});

describe('the GitHub sync posts each comment once and reads the comment list only to reconcile', () => {
  let paper: PaperBot | undefined;
  afterEach(async () => {
    await paper?.stop();
    paper = undefined;
  });

  it('one POST per comment and no list reads; after a dropped answer one list read and no duplicate; a close reaches the issue', {
    timeout: 60_000,
  }, async () => {
    paper = await startPaperBot();
    const id = await paper.open('open P2 search is slow');
    const issue = await paper.issueOf(id);
    const posts = () => paper!.github.requestsMatching('POST', /\/issues\/\d+\/comments$/);
    const listReads = () => paper!.github.requestsMatching('GET', /\/issues\/\d+\/comments$/);
    const significant = async () => (await paper!.incident(id)).timeline.filter((e: { kind: string }) => isSignificant(e.kind)).length;

    for (let n = 0; n < 11; n++) await paper.ask(`update ${id} investigating step ${n}`);
    const entries = await significant();
    expect(entries).toBeGreaterThanOrEqual(11);
    await waitFor(() => issue.comments.length >= entries, 'a comment per significant entry', 15_000);
    expect(issue.comments).toHaveLength(entries);
    expect(posts()).toHaveLength(entries);
    expect(listReads()).toHaveLength(0);

    // GitHub takes the comment, then the connection drops: the sync cannot know, so it looks.
    paper.github.dropCommentAnswers(1);
    await paper.ask(`update ${id} investigating after the drop`);
    await waitFor(() => issue.comments.some((c) => c.body.includes('after the drop')), 'the dropped comment', 15_000);
    await waitFor(() => listReads().length >= 1, 'a reconciling list read', 10_000);
    await paper.ask(`update ${id} investigating one more`);
    await waitFor(() => issue.comments.some((c) => c.body.includes('one more')), 'the next comment', 15_000);
    const markers = issue.comments.map((c) => /<!-- incident-bot:comment:([^ ]+) -->/.exec(c.body)?.[1]);
    expect(new Set(markers).size).toBe(issue.comments.length);
    expect(issue.comments).toHaveLength(entries + 2);
    expect(listReads()).toHaveLength(1);
    const calls = paper.github.requests.filter((r) => /\/issues\/\d+\/comments$/.test(r.path)).length;
    console.log(
      `GitHub comment calls per significant timeline entry: ${(calls / (entries + 2)).toFixed(2)} (${entries + 2} entries, ${calls} calls)`,
    );

    await paper.ask(`resolve ${id} cache node replaced --override "latency normal for 15 min"`);
    await paper.submitReport(id);
    const closedAt = Date.now();
    expect(await paper.ask(`close ${id}`)).toContain('closed');
    await waitFor(() => issue.state === 'closed', 'the issue closed', 5_000);
    console.log(`close → GitHub issue closed: ${Date.now() - closedAt} ms`);
  });

  it('a close made while a backlog of comments is being posted reaches GitHub before the backlog ends', { timeout: 90_000 }, async () => {
    paper = await startPaperBot();
    const id = await paper.open('open P2 search is slow');
    const issue = await paper.issueOf(id);
    // GitHub takes 1 s per comment: twelve updates are a backlog of twelve seconds.
    paper.github.slowComments(100, 1_000);
    for (let n = 0; n < 12; n++) await paper.ask(`update ${id} investigating step ${n}`);
    await paper.ask(`resolve ${id} cache node replaced --override "latency normal for 15 min"`);
    await paper.submitReport(id);
    const closedAt = Date.now();
    expect(await paper.ask(`close ${id}`)).toContain('closed');
    await waitFor(() => issue.state === 'closed', 'the issue closed', 15_000);
    console.log(`close during a comment backlog → GitHub issue closed: ${Date.now() - closedAt} ms`);
    const closeRequest = paper.github.requests.findIndex((r) => r.method === 'PATCH' && r.body?.state === 'closed');
    const entries = (await paper.incident(id)).timeline.filter((e: { kind: string }) => isSignificant(e.kind)).length;
    await waitFor(() => issue.comments.length >= entries, 'the backlog posted', 40_000);
    // The close went out while comments were still being posted, and no comment was lost for it.
    const lastComment = paper.github.requests.findLastIndex((r) => r.method === 'POST' && /\/comments$/.test(r.path));
    expect(closeRequest).toBeGreaterThan(-1);
    expect(closeRequest).toBeLessThan(lastComment);
    expect(issue.comments).toHaveLength(entries);
  });
});
