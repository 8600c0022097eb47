import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockKitProblems } from '../../support/slack-stand-in';
import { startBot, waitFor, type RunningBot } from '../../support/start-bot';

let bot: RunningBot;
let id: string;
beforeAll(async () => {
  bot = await startBot();
  const res = await bot.command('open P1 <!channel> checkout *errors*', { user: 'U0ALICE' });
  id = /INC-\d{8}-\d{3}/.exec((await waitFor(() => bot.replies(res.responseId)[0], 'open')).text)![0];
  await waitFor(async () => (await bot.api(`/api/incidents/${id}`)).json.slack.announcement, 'announcement');
});
afterAll(async () => {
  await bot?.stop();
});

const reply = async (text: string, user = 'U0ALICE') => {
  const res = await bot.command(text, { user });
  return waitFor(() => bot.replies(res.responseId)[0], `reply to ${text}`);
};
const dmsTo = (user: string) =>
  bot.slack
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === user)
    .map((c) => c.args);
const latestAnnouncement = () => (bot.slack.callsTo('chat.update').at(-1)?.args.blocks ?? []) as any[];

describe('/incident role', () => {
  it.each([
    ['comms', 'U0COMMS', 'communications lead', 'status update'],
    ['scribe', 'U0SCRIBE', 'scribe', 'timeline'],
    ['ops', 'U0OPS', 'operations lead', 'mitigation'],
  ])(
    '%s: stored, shown on the announcement, and the person gets a DM with the meaning and first steps',
    async (role, user, label, meaningWord) => {
      const r = await reply(`role ${role} ${id} <@${user}|someone>`);
      expect(r.text).toContain(`<@${user}> is now the ${label} of ${id}`);
      const dm = (await waitFor(() => dmsTo(user)[0], `DM to ${user}`))!;
      expect(blockKitProblems(dm.blocks)).toEqual([]);
      const shown = JSON.stringify(dm.blocks);
      expect(shown).toContain(`made you the *${label}* of *${id}*`);
      expect(shown).toContain('What it means:');
      expect(shown).toContain('First steps:');
      expect(shown.toLowerCase()).toContain(meaningWord);
      expect(shown).not.toContain('<!channel>');
      await waitFor(() => JSON.stringify(latestAnnouncement()).includes(`<@${user}>`), 'announcement shows the role');
      expect(blockKitProblems(latestAnnouncement())).toEqual([]);
      const stored = (await bot.api(`/api/incidents/${id}`)).json;
      expect(stored.roles[role]).toBe(user);
      expect(stored.timeline.at(-1)).toMatchObject({ kind: 'role', details: { role, to: user } });
    },
  );

  it('a change of commander tells the new commander their role and the old one who took over', async () => {
    await reply(`role commander ${id} <@U0FIRST>`);
    await waitFor(() => dmsTo('U0FIRST')[0], 'DM to the first commander');
    const r = await reply(`role commander ${id} <@U0SECOND>`, 'U0FIRST');
    expect(r.text).toContain('<@U0SECOND> is now the incident commander');
    const toNew = (await waitFor(() => dmsTo('U0SECOND')[0], 'DM to the new commander'))!;
    expect(JSON.stringify(toNew.blocks)).toContain('made you the *incident commander*');
    const toOld = (await waitFor(() => dmsTo('U0FIRST')[1], 'DM to the old commander'))!;
    expect(JSON.stringify(toOld.blocks)).toContain('<@U0SECOND> is now the incident commander');
    expect(blockKitProblems(toOld.blocks)).toEqual([]);
    expect((await bot.api(`/api/incidents/${id}`)).json.commander).toBe('U0SECOND');
  });

  it('/incident show lists the roles', async () => {
    const res = await bot.command(`show ${id}`, { user: 'U0ALICE' });
    const r = await waitFor(() => bot.replies(res.responseId)[0], 'show');
    const shown = JSON.stringify(r.blocks);
    for (const part of ['Communications lead: <@U0COMMS>', 'Scribe: <@U0SCRIBE>', 'Operations lead: <@U0OPS>', '<@U0SECOND>'])
      expect(shown).toContain(part);
  });

  it('refusals: unknown role with a suggestion, same person twice; nothing stored, no DM', async () => {
    const before = bot.slack.callsTo('chat.postMessage').length;
    const timeline = (await bot.api(`/api/incidents/${id}`)).json.timeline.length;
    expect((await reply(`role scrbe ${id} <@U0X>`)).text).toContain('Did you mean `scribe`?');
    expect((await reply(`role ops ${id} <@U0OPS>`)).text).toContain('already the operations lead');
    expect((await bot.api(`/api/incidents/${id}`)).json.timeline).toHaveLength(timeline);
    expect(bot.slack.callsTo('chat.postMessage')).toHaveLength(before);
  });
});
