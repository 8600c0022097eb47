import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPaperBot, waitFor, type PaperBot } from '../paper-trail/paper-trail-harness';

const TOKEN = 'test-alert-token-channels-0123';
let bot: PaperBot;
let id: string;
let channel: string;

beforeAll(async () => {
  bot = await startPaperBot({
    env: { ALERT_WEBHOOK_TOKEN: TOKEN },
    file: { channels: { create_incident_channel: true }, services: [{ name: 'checkout', owners: ['U0OWNER1', 'U0OWNER2'] }] },
  });
  const alert = {
    dedup_key: 'channel-setup-1',
    title: '<!channel> checkout *errors* \u202eevil',
    service: 'checkout',
    severity: 'P2',
    links: [
      { title: 'Runbook', url: 'https://runbooks.example/checkout' },
      { title: 'Grafana dashboard', url: 'https://grafana.example/d/1' },
      { title: 'Other', url: 'https://other.example' },
    ],
  };
  const res = await fetch(`${bot.baseUrl}/alerts/generic`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(alert),
  });
  expect(res.status).toBeLessThan(300);
  id = ((await res.json()) as { incidents: string[] }).incidents[0]!;
  channel = await waitFor(async () => (await bot.incident(id)).slack.channel?.id, 'incident channel');
});
afterAll(async () => {
  await bot?.stop();
});

describe('a new incident channel is set up', () => {
  it('topic: severity, status, commander; plain text within 250 characters', async () => {
    const topic = await waitFor(() => bot.slack.topics.get(channel), 'topic set');
    expect(topic).toMatch(new RegExp(`^\\[P2\\] Investigating · Commander: none yet · ${id} `));
    expect(topic.length).toBeLessThanOrEqual(250);
    expect(topic).not.toContain('<!channel>');
  });

  it("the service's owners are invited", async () => {
    await waitFor(() => bot.slack.members.get(channel)?.has('U0OWNER2'), 'owners invited');
    expect([...bot.slack.members.get(channel)!]).toEqual(expect.arrayContaining(['U0OWNER1', 'U0OWNER2']));
  });

  it('bookmarks: the runbook, the dashboard and the GitHub issue', async () => {
    const issue = await bot.issueOf(id);
    await waitFor(() => (bot.slack.bookmarks.get(channel) ?? []).length >= 3, 'three bookmarks', 10_000);
    expect(bot.slack.bookmarks.get(channel)!.map((b) => [b.title, b.link])).toEqual([
      ['Runbook', 'https://runbooks.example/checkout'],
      ['Grafana dashboard', 'https://grafana.example/d/1'],
      [`GitHub issue #${issue.number}`, expect.stringContaining(`/issues/${issue.number}`)],
    ]);
  });

  it('the topic follows severity, status and commander; a new commander is invited', async () => {
    await bot.ask(`severity ${id} P1`);
    await waitFor(() => bot.slack.topics.get(channel)?.startsWith('[P1] Investigating'), 'topic shows P1');
    await bot.ask(`commander ${id} <@U0NEWIC|ic>`);
    await waitFor(() => bot.slack.topics.get(channel)?.includes('Commander: <@U0NEWIC>'), 'topic shows the commander');
    await waitFor(() => bot.slack.members.get(channel)?.has('U0NEWIC'), 'commander invited');
    await bot.ask(`update ${id} identified bad deploy`);
    await waitFor(() => bot.slack.topics.get(channel)?.startsWith('[P1] Identified'), 'topic shows the status');
  });

  it('a setup step Slack refuses is logged; the incident goes on', async () => {
    bot.slack.fail('conversations.setTopic', 'not_in_channel');
    expect(await bot.ask(`severity ${id} P0`)).toContain('is now P0');
    await waitFor(() => bot.logs.some((l) => l.includes('conversations.setTopic failed')), 'failure logged');
    expect((await bot.incident(id)).severity).toBe('P0');
  });
});
