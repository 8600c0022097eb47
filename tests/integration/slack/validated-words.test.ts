import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, waitFor, type RunningBot } from '../../support/start-bot';

let bot: RunningBot;
let id: string;
beforeAll(async () => {
  bot = await startBot();
  const res = await bot.command('open P2 checkout slow', { user: 'U0ALICE' });
  const r = await waitFor(() => bot.replies(res.responseId)[0], 'open reply');
  id = /INC-\d{8}-\d{3}/.exec(r.text)![0];
  await waitFor(() => bot.slack.callsTo('chat.postMessage').length === 1, 'announcement');
});
afterAll(async () => {
  await bot?.stop();
});

const reply = async (text: string) => {
  const res = await bot.command(text, { user: 'U0ALICE' });
  return waitFor(() => bot.replies(res.responseId)[0], `reply to ${text}`);
};

describe('unknown words are refused with a suggestion and nothing is posted', () => {
  it.each([
    [() => `update ${id} monitorng Fix deployed`, 'Unknown status "monitorng". Did you mean `monitoring`?'],
    [() => `update ${id} identifed <!channel> *bold* \u200b\u202e`, 'Did you mean `identified`?'],
    [() => `severity ${id} P5`, 'Did you mean `P3`?'],
    [() => `severity ${id} <!channel>`, '(got "&lt;!channel&gt;")'],
    [() => `open sev1 ${'x'.repeat(3100)}`, 'Did you mean `P1`?'],
  ])('%#', async (text, expected) => {
    const postsBefore = bot.slack.callsTo('chat.postMessage').length;
    const updatesBefore = bot.slack.callsTo('chat.update').length;
    const before = (await bot.api(`/api/incidents/${id}`)).json;
    const r = await reply(text());
    expect(r.response_type).toBe('ephemeral');
    expect(r.text).toContain(expected);
    expect(r.text.length).toBeLessThan(600);
    expect(r.text).not.toContain('<!channel>');
    const after = (await bot.api(`/api/incidents/${id}`)).json;
    expect(after).toMatchObject({ status: before.status, severity: before.severity, lastUpdateAt: before.lastUpdateAt });
    expect(after.timeline).toHaveLength(before.timeline.length);
    expect((await bot.api('/api/incidents')).json.incidents ?? []).toHaveLength(1);
    expect(bot.slack.callsTo('chat.postMessage')).toHaveLength(postsBefore);
    expect(bot.slack.callsTo('chat.update')).toHaveLength(updatesBefore);
  });

  it('a status written out in full still posts (the refusal names a way to post such text)', async () => {
    const r = await reply(`update ${id} investigating monitorng is the word I meant`);
    expect(r.text).toContain('Update posted');
    expect((await bot.api(`/api/incidents/${id}`)).json.timeline.at(-1).text).toBe('monitorng is the word I meant');
  });
});
