import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, type RunningBot } from '../../support/start-bot';
import { generic, postAlert, startAlertBot } from '../alerts/alert-harness';

/**
 * Text as people expect it in Slack, over real HTTP into the running bot: mentions the bot
 * writes and mentions people type render as mentions; text from alerts notifies nobody.
 */
let bot: RunningBot;
beforeAll(async () => {
  bot = await startAlertBot({
    file: { services: [{ name: 'checkout' }], channels: { create_incident_channel: true }, alerts: { slack_min_interval: '50ms' } },
  });
});
afterAll(async () => {
  await bot?.stop();
});

/** The mrkdwn texts of blocks: what Slack parses for mentions (plain_text, e.g. headers, it never does). */
function mrkdwnTexts(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(mrkdwnTexts);
  if (typeof value !== 'object' || value === null) return [];
  const o = value as Record<string, unknown>;
  const own = o.type === 'mrkdwn' && typeof o.text === 'string' ? [o.text] : [];
  return [
    ...own,
    ...Object.entries(o)
      .filter(([k]) => k !== 'text' || typeof o.text === 'object')
      .flatMap(([, v]) => mrkdwnTexts(v)),
  ];
}

/** Every message the bot sent to Slack about an incident, as Slack parses it: the notification text and the mrkdwn of its blocks. */
function sentAbout(id: string): string[] {
  return bot.slack.calls
    .filter((c) => c.method === 'chat.postMessage' || c.method === 'chat.update')
    .map((c) =>
      [
        String(c.args.text ?? ''),
        ...mrkdwnTexts(typeof c.args.blocks === 'string' ? JSON.parse(c.args.blocks) : (c.args.blocks ?? [])),
      ].join('\n'),
    )
    .filter((t) => t.includes(id));
}

const reply = (responseId: string) => waitFor(() => bot.replies(responseId)[0], `reply ${responseId}`);

describe('mentions the bot writes and people type', () => {
  let id: string;

  it('the announcement mentions who chose the severity, unescaped, as Slack renders a mention', async () => {
    const res = await bot.command('open P1 checkout errors', { user: 'U0123' });
    id = /INC-\d{8}-\d{3}/.exec((await reply(res.responseId)).text)![0];
    const announced = await waitFor(() => sentAbout(id).find((t) => t.includes('*Why P1:*')), 'announcement');
    expect(announced).toContain('*Why P1:* P1 chosen by <@U0123>');
    expect(announced).not.toContain('&lt;@U0123&gt;');
  });

  it('an update keeps the mentions, channel links, links and formatting a person typed', async () => {
    // Slack sends them escaped like this (the command is declared with should_escape).
    const typed = 'identified cc <@U0BOB|bob> in <#C0OPS|ops>, see <https://status.example/x|the status page> — *rollback* &amp; retry';
    const res = await bot.command(`update ${id} ${typed}`, { user: 'U0123' });
    await reply(res.responseId);
    const update = await waitFor(() => sentAbout(id).find((t) => t.includes('INCIDENT UPDATE')), 'status update');
    expect(update).toContain('cc <@U0BOB> in <#C0OPS>, see <https://status.example/x|the status page> — *rollback* &amp; retry');
    // Bot text is escaped once, never twice.
    expect(update).not.toContain('&amp;amp;');
    expect(update).not.toContain('&lt;@U0BOB');
    const api = (await bot.api(`/api/incidents/${id}`)).json;
    expect(api.timeline.find((e: any) => e.kind === 'status_update').text).toBe(
      'cc <@U0BOB> in #ops, see the status page (https://status.example/x) — *rollback* & retry',
    );
  });
});

describe('text from alerts notifies nobody', () => {
  const hostile = '<!channel> <!here> <!everyone> <!subteam^S0ALL|@everyone-team> <@U0CEO> *bold* \u200B\u200Dzero-width \u202Ertl\u202C';

  it('an alert carrying broadcast and user mentions, zero-width and RTL characters and 5,000 characters is shown escaped, within Block Kit limits', async () => {
    const answer = await postAlert(
      bot,
      'generic',
      generic('hostile-1', { title: `${hostile} checkout down`, description: `${hostile} ${'x'.repeat(5000)}`, severity: 'P1' }),
    );
    expect(answer.status).toBe(202);
    const [id] = answer.json.incidents as [string];
    // The announcement and the first message in the new incident channel.
    const texts = await waitFor(() => {
      const all = sentAbout(id);
      return all.length >= 2 && all.some((t) => t.includes('*Why P1:*')) ? all : null;
    }, 'announcement and channel message');
    for (const text of texts) {
      for (const live of ['<!channel>', '<!here>', '<!everyone>', '<!subteam^', '<@U0CEO>']) expect(text).not.toContain(live);
      expect(text).toContain('&lt;!channel&gt;');
    }
    // Every post landed: the stand-in refuses blocks over Slack's limits (3,000-character sections, 150-character headers).
    const posts = bot.slack.calls.filter((c) => c.method === 'chat.postMessage' && JSON.stringify(c.args).includes(id));
    expect(posts.length).toBeGreaterThanOrEqual(2);
    expect(bot.slack.messages.filter((m) => m.text.includes(id)).length).toBeGreaterThanOrEqual(2);
    // The formatting a sender used is left to Slack (*bold* stays bold); only the mentions are defused.
    expect(texts.some((t) => t.includes('*bold*'))).toBe(true);
  });
});
