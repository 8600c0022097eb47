import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockKitProblems } from '../../support/slack-stand-in';
import { startPaperBot, waitFor, type PaperBot } from '../paper-trail/paper-trail-harness';

const TOKEN = 'test-alert-token-context-0123';
const HOSTILE = '<!channel> <@U0EVIL> *bold* \u200b\u202eevil';
let bot: PaperBot;
let id: string;

beforeAll(async () => {
  bot = await startPaperBot({
    env: { ALERT_WEBHOOK_TOKEN: TOKEN },
    file: { alerts: { slack_min_interval: '20ms', context_labels: ['service', 'alertname'] } },
  });
  const payload = JSON.parse(readFileSync('tests/fixtures/alerts/alertmanager/am025_webhook_v4_firing_2alerts.json', 'utf8'));
  for (const alert of payload.alerts) alert.labels.team = HOSTILE;
  payload.alerts[1].annotations.dashboard_url = 'https://grafana.example/d/1|<!channel>';
  const res = await fetch(`${bot.baseUrl}/alerts/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(payload),
  });
  expect(res.status).toBeLessThan(300);
  id = ((await res.json()) as { incidents: string[] }).incidents[0]!;
});
afterAll(async () => {
  await bot?.stop();
});

/** The announcement as Slack shows it now: the post, or its latest update. */
const announcement = () => {
  const updates = bot.slack.callsTo('chat.update');
  const args = (updates.at(-1) ?? bot.slack.callsTo('chat.postMessage').find((c) => String(c.args.text).includes(id)))?.args;
  return args ? (args.blocks as any[]) : null;
};

describe("an alert's runbook, dashboard, source and labels reach people", () => {
  it('the announcement links runbook, dashboard and source (runbook first) and summarises the labels, configured ones first', async () => {
    const blocks = await waitFor(() => announcement(), 'announcement');
    expect(blockKitProblems(blocks)).toEqual([]);
    const contexts = blocks.filter((b) => b.type === 'context').map((b) => b.elements.map((e: any) => e.text).join(' '));
    const links = contexts.find((t) => t.includes('Runbook'))!;
    expect(links).toBe(
      ':book: <https://runbooks.example/checkout|Runbook> · :bar_chart: <https://grafana.example/d/1%7C%3C!channel%3E|Dashboard> · :mag: <http://prometheus.local/graph?g0.expr=x|Source>',
    );
    const labels = contexts.find((t) => t.startsWith('*Labels:*'))!;
    expect(labels).toBe(
      '*Labels:* `service`=`checkout` · `alertname`=`HighErrorRate` · `severity`=`critical` · `team`=`&lt;!channel&gt; &lt;@U0EVIL&gt; *bold* evil`',
    );
    expect(JSON.stringify(blocks)).not.toContain('<!channel>');
    expect(JSON.stringify(blocks)).not.toContain('<@U0EVIL>');
    expect(JSON.stringify(blocks)).not.toMatch(/[\u200b\u202e]/);
  });

  it('the read API carries the same context', async () => {
    const json = (await bot.api(`/api/incidents/${id}`)).json;
    expect(json.alertContext.links.map((l: any) => l.kind)).toEqual(['runbook', 'dashboard', 'source']);
    expect(json.alertContext.labels[0]).toEqual({ name: 'service', value: 'checkout' });
    expect(json.alertContext.labels.map((l: any) => l.name)).not.toContain('instance'); // differs between the two alerts
  });

  it('/incident show shows the links', async () => {
    const res = await bot.command(`show ${id}`, { user: 'U0ALICE' });
    const r = await waitFor(() => bot.replies(res.responseId)[0], 'show answer');
    expect(blockKitProblems(r.blocks)).toEqual([]);
    expect(JSON.stringify(r.blocks)).toContain('<https://runbooks.example/checkout|Runbook>');
  });

  it('the GitHub issue lists the links and the labels', async () => {
    const issue = await bot.issueOf(id);
    expect(issue.body).toContain('### Alert links');
    expect(issue.body).toContain('- [Runbook](https://runbooks.example/checkout) (runbook)');
    expect(issue.body).toContain('- [Dashboard](https://grafana.example/d/1%7C%3C!channel%3E) (dashboard)');
    expect(issue.body).toContain('service: checkout · alertname: HighErrorRate');
  });
});
