import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/adapters/outbound/slack/ids';
import { ALERT_TOKEN, BOT_API_TOKEN, botEnv } from '../../support/bot-env';
import { freePort, startChild, type Child } from '../../support/processes';
import { SlackStandIn } from '../../support/slack-stand-in';
import { blockActionPayload, commandBody, interactionBody, postToSlackEndpoint } from '../../support/slack-requests';
import { waitFor } from '../../support/start-bot';
import { createTestRedis, deleteKeys } from '../../support/test-redis';

// Two bot processes on different ports share one Redis prefix: behind a load balancer they
// must behave as one bot. Requests are spread across both; duplicates go to both at once.
let slack: SlackStandIn;
let a: Child;
let b: Child;
const prefix = `ibtest:replicas:${randomUUID().slice(0, 8)}:`;
const url = (c: Child) => `http://127.0.0.1:${c.port}`;
const api = async (c: Child, path: string) =>
  (await fetch(`${url(c)}${path}`, { headers: { authorization: `Bearer ${BOT_API_TOKEN}` } })).json() as Promise<any>;
const command = (c: Child, text: string, triggerId = randomUUID(), responseId = randomUUID()) =>
  postToSlackEndpoint(url(c), commandBody({ text, trigger_id: triggerId, response_url: slack.responseUrl(responseId) }));
const alert = (c: Child, dedupKey: string, errorRate: number) =>
  fetch(`${url(c)}/alerts/generic`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERT_TOKEN}` },
    body: JSON.stringify({ dedup_key: dedupKey, title: `alert ${dedupKey}`, signals: { error_rate: errorRate } }),
  });

beforeAll(async () => {
  slack = await new SlackStandIn().start();
  const file = { services: [{ name: 'checkout' }], alerts: { slack_min_interval: '100ms' } };
  [a, b] = await Promise.all([
    startChild('tests/support/bot-process.ts', botEnv({ slackApiUrl: slack.apiUrl, prefix, port: await freePort(), file })),
    startChild('tests/support/bot-process.ts', botEnv({ slackApiUrl: slack.apiUrl, prefix, port: await freePort(), file })),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await slack?.stop();
  const { redis, cleanup } = await createTestRedis('replicas');
  await deleteKeys(redis, prefix);
  await cleanup();
});

describe('two replicas on one Redis', () => {
  it('incidents opened through either replica share one id sequence and one store', async () => {
    await command(a, 'open P2 via replica a');
    await command(b, 'open P2 via replica b');
    const listed = await waitFor(async () => {
      const r = await api(b, '/api/incidents');
      return r.incidents.length === 2 && r.incidents.every((i: any) => i.slack.announcement) ? r : null;
    }, 'two incidents, announced');
    const ids = listed.incidents.map((i: any) => i.id).sort();
    expect(new Set(ids).size).toBe(2);
    expect(Number(ids[1].slice(-3)) - Number(ids[0].slice(-3))).toBe(1);
    expect((await api(a, '/api/incidents')).incidents.map((i: any) => i.id).sort()).toEqual(ids);
  });

  it('the same command delivered to both replicas at once opens one incident and one announcement', async () => {
    const trigger = randomUUID();
    await Promise.all([command(a, 'open P1 delivered twice', trigger), command(b, 'open P1 delivered twice', trigger, randomUUID())]);
    await waitFor(
      async () => (await api(a, '/api/incidents')).incidents.some((i: any) => i.title === 'delivered twice' && i.slack.announcement),
      'announced',
    );
    await new Promise((r) => setTimeout(r, 500));
    expect((await api(a, '/api/incidents')).incidents.filter((i: any) => i.title === 'delivered twice')).toHaveLength(1);
    expect(slack.callsTo('chat.postMessage').filter((c) => String(c.args.text).includes('delivered twice'))).toHaveLength(1);
  });

  it('alerts of one group spread over both replicas make one incident with every alert counted', async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => alert(i % 2 ? a : b, 'shared-group', 12 + (i % 5))));
    expect(answers.every((r) => r.status === 202 || r.status === 200)).toBe(true);
    const incidents = (await api(a, '/api/incidents')).incidents.filter((i: any) => i.title === 'alert shared-group');
    expect(incidents).toHaveLength(1);
    const detail = await api(b, `/api/incidents/${incidents[0].id}`);
    // One generic dedup key is one alert, delivered 40 times: every delivery counted once.
    expect(detail.alerts).toMatchObject({ total: 1, receipts: 40 });
  });

  it('a double click landing on both replicas acknowledges once', async () => {
    const { incidents } = await api(a, '/api/incidents');
    const target = incidents.find((i: any) => i.title === 'via replica a');
    const click = (c: Child, user: string) =>
      postToSlackEndpoint(
        url(c),
        interactionBody(
          blockActionPayload({ actionId: ACTIONS.acknowledge, value: target.id, user, responseUrl: slack.responseUrl(randomUUID()) }),
        ),
      );
    await Promise.all([click(a, 'U0ANN'), click(b, 'U0BEN')]);
    const detail = await waitFor(async () => {
      const d = await api(a, `/api/incidents/${target.id}`);
      return d.acknowledgedBy ? d : null;
    }, 'acknowledged');
    expect(['U0ANN', 'U0BEN']).toContain(detail.acknowledgedBy);
    expect(detail.timeline.filter((e: any) => e.kind === 'acknowledged')).toHaveLength(1);
  });

  it('killing one replica (SIGKILL) loses nothing: the other serves every incident and takes new work', async () => {
    const before = (await api(b, '/api/incidents')).incidents.map((i: any) => i.id).sort();
    a.kill9();
    await new Promise((r) => a.process.once('exit', r));
    expect((await api(b, '/api/incidents')).incidents.map((i: any) => i.id).sort()).toEqual(before);
    await command(b, 'open P3 after the kill');
    await waitFor(
      async () => (await api(b, '/api/incidents')).incidents.some((i: any) => i.title === 'after the kill' && i.slack.announcement),
      'new incident announced by the survivor',
    );
  });
});
