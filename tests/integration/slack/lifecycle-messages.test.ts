import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, INPUTS, VIEWS } from '../../../src/adapters/outbound/slack/ids';
import { blockKitProblems } from '../../support/slack-stand-in';
import { startBot, waitFor, type RunningBot } from '../../support/start-bot';

let bot: RunningBot;
let id: string;
let channelId: string;
beforeAll(async () => {
  bot = await startBot({ file: { channels: { create_incident_channel: true }, services: [{ name: 'checkout', owners: ['U0ALICE'] }] } });
});
afterAll(async () => {
  await bot?.stop();
});

const reply = async (text: string, user = 'U0CAROL') => {
  const res = await bot.command(text, { user });
  return waitFor(() => bot.replies(res.responseId)[0], `reply to ${text}`);
};
const incident = async () => (await bot.api(`/api/incidents/${id}`)).json;
const announcementTs = async () => (await incident()).slack.announcement.ts as string;
/** Posts made after `from`, as Slack would show them. */
const postsSince = (from: number) =>
  bot.slack
    .callsTo('chat.postMessage')
    .slice(from)
    .map((c) => c.args);
const shown = (post: any) => JSON.stringify(post.blocks ?? []);
const lastHeader = () => {
  const update = bot.slack.callsTo('chat.update').at(-1)!;
  expect(blockKitProblems(update.args.blocks)).toEqual([]);
  return {
    header: update.args.blocks.find((b: any) => b.type === 'header').text.text as string,
    buttons: update.args.blocks.filter((b: any) => b.type === 'actions').flatMap((b: any) => b.elements.map((e: any) => e.action_id)),
  };
};

describe('resolve, close and reopen are told where people look', () => {
  it('setup: an incident with its own channel and an announcement', async () => {
    const r = await reply(`open P1 <!channel> *bold* \u200bcheckout \u202eerrors`, 'U0ALICE');
    id = /INC-\d{8}-\d{3}/.exec(r.text)![0];
    await waitFor(async () => (await incident()).slack.announcement && (await incident()).slack.channel, 'announcement and channel');
    channelId = (await incident()).slack.channel.id;
  });

  it('resolve: a short message in the incident channel and a broadcast reply under the announcement; header and buttons follow', async () => {
    const from = bot.slack.callsTo('chat.postMessage').length;
    const r = await reply(`resolve ${id} rolled back <@U0EVIL> to v41 --override "verified by hand"`);
    expect(r.text).toContain(`${id} resolved`);
    const posts = await waitFor(() => (postsSince(from).length >= 2 ? postsSince(from) : null), 'two lifecycle posts');
    expect(posts).toHaveLength(2);
    const [inChannel, broadcast] = posts as [any, any];
    expect(inChannel.channel).toBe(channelId);
    expect(inChannel.thread_ts).toBeUndefined();
    expect(broadcast).toMatchObject({ channel: 'C0INCIDENT', thread_ts: await announcementTs(), reply_broadcast: 'true' }); // form-encoded, as the Web API client sends it
    for (const post of posts) {
      expect(blockKitProblems(post.blocks)).toEqual([]);
      const json = JSON.stringify(post.blocks);
      expect(json).toContain(`*${id}* [P1]`);
      expect(json).toContain('*resolved* by <@U0CAROL>');
      expect(json).toContain('/incident report');
      expect(json).not.toContain('<!channel>');
      // A mention a person typed into the summary renders as Slack renders it (people's text passes through).
      expect(json).toContain('<@U0EVIL>');
      expect(post.text).not.toContain('<!channel>');
    }
    await waitFor(() => lastHeader().header.includes('RESOLVED'), 'announcement header shows resolved');
    expect(lastHeader().header).toMatch(/^:white_check_mark: INC-\d{8}-\d{3} \[P1\] — RESOLVED /);
    expect(lastHeader().buttons).toEqual([ACTIONS.writeReport, ACTIONS.reopen]);
  });

  it('reopen: told too, and the open buttons come back', async () => {
    const from = bot.slack.callsTo('chat.postMessage').length;
    await reply(`reopen ${id}`);
    const posts = await waitFor(() => (postsSince(from).length >= 2 ? postsSince(from) : null), 'reopen posts');
    expect(JSON.stringify(posts[1]!.blocks)).toContain('*reopened* by <@U0CAROL>');
    await waitFor(() => lastHeader().buttons.includes(ACTIONS.resolve), 'open buttons back');
    expect(lastHeader().header).toMatch(/^:large_orange_circle: /);
  });

  it('close: once the report is written the announcement offers Close; closing posts and leaves no buttons', async () => {
    await reply(`resolve ${id} really fixed --override "verified by hand"`);
    await bot.submitView(
      VIEWS.report,
      {
        [INPUTS.rootCause.block]: { [INPUTS.rootCause.action]: { type: 'plain_text_input', value: 'bad deploy' } },
        [INPUTS.impact.block]: { [INPUTS.impact.action]: { type: 'plain_text_input', value: 'errors for 20 minutes' } },
        [INPUTS.resolution.block]: { [INPUTS.resolution.action]: { type: 'plain_text_input', value: 'rolled back' } },
      },
      { privateMetadata: JSON.stringify({ incidentId: id }) },
    );
    await waitFor(() => lastHeader().buttons.includes(ACTIONS.close), 'Close incident offered', 10_000);
    const from = bot.slack.callsTo('chat.postMessage').length;
    await bot.click(ACTIONS.close, id, 'U0CAROL');
    await waitFor(async () => (await incident()).status === 'closed', 'closed');
    const posts = await waitFor(
      () => (postsSince(from).filter((p) => shown(p).includes('*closed*')).length >= 2 ? postsSince(from) : null),
      'close posts',
    );
    const closing = posts.filter((p) => shown(p).includes('*closed* by <@U0CAROL>'));
    expect(closing.map((p) => p.channel).sort()).toEqual(['C0INCIDENT', channelId].sort());
    await waitFor(() => lastHeader().header.includes('CLOSED'), 'header shows closed');
    expect(lastHeader().header).toMatch(/^:lock: /);
    expect(lastHeader().buttons).toEqual([]);
  });

  it('a status move that is not a lifecycle step posts no extra message', async () => {
    const r = await reply('open P3 typo on status page', 'U0ALICE');
    const other = /INC-\d{8}-\d{3}/.exec(r.text)![0];
    await waitFor(async () => (await bot.api(`/api/incidents/${other}`)).json.slack.announcement, 'second announcement');
    const from = bot.slack.callsTo('chat.postMessage').length;
    await reply(`update ${other} identified found the typo`);
    await waitFor(() => postsSince(from).length >= 2, 'status update posts');
    await new Promise((r) => setTimeout(r, 300));
    expect(postsSince(from).filter((p) => /resolved|closed|reopened/.test(shown(p)))).toEqual([]);
  });
});
