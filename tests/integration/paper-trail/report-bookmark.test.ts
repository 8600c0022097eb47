import { afterEach, describe, expect, it } from 'vitest';
import { startPaperBot, waitFor, type PaperBot } from './paper-trail-harness';

let bot: PaperBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const WITH_CHANNELS = { channels: { create_incident_channel: true } };

/** Opens an incident and waits for its own channel. */
async function openWithChannel(paper: PaperBot): Promise<{ id: string; channel: string }> {
  const id = await paper.open();
  const channel = await waitFor(async () => (await paper.incident(id)).slack.channel?.id, 'incident channel');
  return { id, channel };
}

/** Submits the report form and waits until the writer is told it is saved: the handler is done by then. */
async function writeReport(paper: PaperBot, id: string, revision: number, rootCause: string): Promise<void> {
  await paper.submitReport(id, { rootCause });
  await waitFor(
    () =>
      paper.slack
        .callsTo('chat.postEphemeral')
        .some((c) => String(c.args.text).startsWith(`Report for ${id} saved (revision ${revision})`)),
    `confirmation of revision ${revision}`,
  );
}

/** The report message of that revision, as posted. */
const reportMessage = (paper: PaperBot, id: string, revision: number) =>
  paper.slack.messages.find((m) => m.text.startsWith(`Incident report for ${id} (revision ${revision})`));

/** How Slack links to a message: its channel and its ts without the dot. */
const permalinkOf = (message: { channel: string; ts: string }) =>
  `https://example.slack.com/archives/${message.channel}/p${message.ts.replace('.', '')}`;

const reportBookmarks = (paper: PaperBot, channel: string) =>
  (paper.slack.bookmarks.get(channel) ?? []).filter((b) => b.title === 'Incident report');

describe('the incident channel bookmarks the report', () => {
  it('a written report: one "Incident report" bookmark linking to the posted report, beside the GitHub issue', {
    timeout: 30_000,
  }, async () => {
    bot = await startPaperBot({ file: WITH_CHANNELS });
    const { id, channel } = await openWithChannel(bot);
    const issue = await bot.issueOf(id);
    await waitFor(() => bot!.slack.bookmarks.get(channel)?.some((b) => b.title === `GitHub issue #${issue.number}`), 'issue bookmark');

    await writeReport(bot, id, 1, 'Deploy v6.2 cut the payment client timeout.');

    const posted = reportMessage(bot, id, 1)!;
    expect(posted.channel).toBe(channel);
    expect(reportBookmarks(bot, channel).map((b) => b.link)).toEqual([permalinkOf(posted)]);
    expect(bot.slack.bookmarks.get(channel)!.map((b) => b.title)).toEqual([`GitHub issue #${issue.number}`, 'Incident report']);
  });

  it('a revision moves the same bookmark to the new report message', { timeout: 30_000 }, async () => {
    bot = await startPaperBot({ file: WITH_CHANNELS, github: false });
    const { id, channel } = await openWithChannel(bot);
    await writeReport(bot, id, 1, 'First guess: the database.');
    const [first] = reportBookmarks(bot, channel);
    expect(first?.link).toBe(permalinkOf(reportMessage(bot, id, 1)!));

    await writeReport(bot, id, 2, 'Deploy v6.2 cut the payment client timeout.');

    const second = reportMessage(bot, id, 2)!;
    expect(reportBookmarks(bot, channel)).toEqual([expect.objectContaining({ id: first!.id, link: permalinkOf(second) })]);
    expect(permalinkOf(second)).not.toBe(permalinkOf(reportMessage(bot, id, 1)!));
  });

  it('a bookmark a person removed is added again with the next revision', { timeout: 30_000 }, async () => {
    bot = await startPaperBot({ file: WITH_CHANNELS, github: false });
    const { id, channel } = await openWithChannel(bot);
    await writeReport(bot, id, 1, 'First guess: the database.');
    expect(reportBookmarks(bot, channel)).toHaveLength(1);
    // Removed by hand in Slack: the bot's remembered id now answers not_found.
    bot.slack.bookmarks.set(
      channel,
      bot.slack.bookmarks.get(channel)!.filter((b) => b.title !== 'Incident report'),
    );

    await writeReport(bot, id, 2, 'Deploy v6.2 cut the payment client timeout.');

    expect(reportBookmarks(bot, channel).map((b) => b.link)).toEqual([permalinkOf(reportMessage(bot, id, 2)!)]);
  });

  it('an incident without its own channel: the report is posted under the announcement, and nothing is bookmarked', {
    timeout: 30_000,
  }, async () => {
    bot = await startPaperBot({ github: false });
    const id = await bot.open();
    const announcement = await waitFor(async () => (await bot!.incident(id)).slack.announcement, 'announcement');
    expect((await bot.incident(id)).slack.channel ?? null).toBeNull();

    await writeReport(bot, id, 1, 'Deploy v6.2 cut the payment client timeout.');

    expect(reportMessage(bot, id, 1)?.thread_ts).toBe(announcement.ts);
    expect([...bot.slack.bookmarks.values()].flat()).toEqual([]);
  });

  it('Slack refusing the permalink or the bookmark costs nothing but the bookmark: the report is posted and confirmed, the failure counted', {
    timeout: 30_000,
  }, async () => {
    bot = await startPaperBot({ file: WITH_CHANNELS, github: false });
    const { id, channel } = await openWithChannel(bot);

    bot.slack.fail('chat.getPermalink', 'message_not_found');
    await writeReport(bot, id, 1, 'First guess: the database.');
    expect(reportMessage(bot, id, 1)?.channel).toBe(channel);
    expect(reportBookmarks(bot, channel)).toEqual([]);

    bot.slack.fail('bookmarks.add', 'channel_not_found');
    await writeReport(bot, id, 2, 'Deploy v6.2 cut the payment client timeout.');
    expect(reportMessage(bot, id, 2)?.channel).toBe(channel);
    expect(reportBookmarks(bot, channel)).toEqual([]);

    const metrics = await (await fetch(`${bot.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/incident_bot_slack_api_errors_total\{method="chat.getPermalink",error="message_not_found"\} 1/);
    expect(metrics).toMatch(/incident_bot_slack_api_errors_total\{method="bookmarks.add",error="channel_not_found"\} 1/);

    // Slack answers again: the next revision gets its bookmark.
    await writeReport(bot, id, 3, 'Deploy v6.2 cut the payment client timeout to 500ms.');
    expect(reportBookmarks(bot, channel).map((b) => b.link)).toEqual([permalinkOf(reportMessage(bot, id, 3)!)]);
  });
});
