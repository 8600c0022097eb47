import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/adapters/outbound/slack/ids';
import { ALERT_TOKEN, BOT_API_TOKEN, botEnv } from '../../support/bot-env';
import { freePort, startChild, type Child } from '../../support/processes';
import { startCluster, waitFor, type TestCluster } from '../../support/redis-servers';
import { SlackStandIn } from '../../support/slack-stand-in';
import { blockActionPayload, commandBody, interactionBody, postToSlackEndpoint } from '../../support/slack-requests';

// Two bot processes configured only with REDIS_CLUSTER_NODES, on a real 3-primary Cluster,
// driven over HTTP as Slack and an alert sender would: every path they take (incident
// create/update scripts, alert grouping, announcements through runOnce, SLA timers, the App
// Home index) runs on the Cluster; a key pair outside one slot would log CROSSSLOT.
let cluster: TestCluster;
let slack: SlackStandIn;
let a: Child;
let b: Child;
const prefix = `ibtest:cluster-bot:${randomUUID().slice(0, 8)}:`;
const url = (c: Child) => `http://127.0.0.1:${c.port}`;
const api = async (c: Child, path: string) =>
  (await fetch(`${url(c)}${path}`, { headers: { authorization: `Bearer ${BOT_API_TOKEN}` } })).json() as Promise<any>;
const command = (c: Child, text: string, triggerId = randomUUID()) =>
  postToSlackEndpoint(url(c), commandBody({ text, trigger_id: triggerId, response_url: slack.responseUrl(randomUUID()) }));
const alert = (c: Child, dedupKey: string, errorRate: number) =>
  fetch(`${url(c)}/alerts/generic`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERT_TOKEN}` },
    body: JSON.stringify({ dedup_key: dedupKey, title: `alert ${dedupKey}`, signals: { error_rate: errorRate } }),
  });

beforeAll(async () => {
  cluster = await startCluster();
  slack = await new SlackStandIn().start();
  const file = { services: [{ name: 'checkout' }], alerts: { slack_min_interval: '100ms' } };
  const env = async () => {
    const { REDIS_URL: _unused, ...rest } = botEnv({ slackApiUrl: slack.apiUrl, prefix, port: await freePort(), file });
    return { ...rest, REDIS_URL: '', REDIS_CLUSTER_NODES: cluster.nodesEnv, LOG_LEVEL: 'info' };
  };
  // Generous: tsx compiles at start, and other test runs share the machine.
  [a, b] = await Promise.all([
    startChild('tests/support/bot-process.ts', await env(), 90_000),
    startChild('tests/support/bot-process.ts', await env(), 90_000),
  ]);
}, 240_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await slack?.stop();
  await cluster?.stop();
});

describe('the bot on a Redis Cluster (REDIS_CLUSTER_NODES)', () => {
  it('is ready, with Redis answering', async () => {
    const ready = await fetch(`${url(a)}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('opens, announces and acknowledges incidents through either replica', async () => {
    const trigger = randomUUID();
    await Promise.all([command(a, 'open P1 checkout is down', trigger), command(b, 'open P1 checkout is down', trigger)]);
    await command(b, 'open P2 search is slow');
    const listed = await waitFor(
      'two incidents, announced',
      async () => {
        const r = await api(b, '/api/incidents');
        return r.incidents.length === 2 && r.incidents.every((i: any) => i.slack.announcement) ? r : null;
      },
      30_000,
    );
    const ids = listed.incidents.map((i: any) => i.id).sort();
    expect(Number(ids[1].slice(-3)) - Number(ids[0].slice(-3))).toBe(1);
    expect(slack.callsTo('chat.postMessage').filter((c) => String(c.args.text).includes('checkout is down'))).toHaveLength(1);
    const target = listed.incidents.find((i: any) => i.title === 'checkout is down');
    const click = (c: Child, user: string) =>
      postToSlackEndpoint(
        url(c),
        interactionBody(
          blockActionPayload({ actionId: ACTIONS.acknowledge, value: target.id, user, responseUrl: slack.responseUrl(randomUUID()) }),
        ),
      );
    await Promise.all([click(a, 'U0ANN'), click(b, 'U0BEN')]);
    const detail = await waitFor(
      'acknowledged',
      async () => {
        const d = await api(a, `/api/incidents/${target.id}`);
        return d.acknowledgedBy ? d : null;
      },
      30_000,
    );
    expect(detail.timeline.filter((e: any) => e.kind === 'acknowledged')).toHaveLength(1);
    // SLA timers were scheduled on the cluster (the timers hash tag).
    expect(detail.sla).toBeTruthy();
  });

  it('groups alerts spread over both replicas into one incident', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => alert(i % 2 ? a : b, 'cluster-group', 12 + (i % 5))));
    expect(answers.every((r) => r.status === 202 || r.status === 200)).toBe(true);
    const incidents = (await api(a, '/api/incidents')).incidents.filter((i: any) => i.title === 'alert cluster-group');
    expect(incidents).toHaveLength(1);
    expect((await api(b, `/api/incidents/${incidents[0].id}`)).alerts).toMatchObject({ total: 1, receipts: 20 });
  });

  it('logged no CROSSSLOT error (a script or MULTI given keys of two slots)', () => {
    for (const child of [a, b]) {
      expect(child.output()).toContain('incident-bot started');
      expect(child.output()).not.toMatch(/CROSSSLOT|hash to the same slot/i);
    }
  });
});
