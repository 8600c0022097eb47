import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/adapters/outbound/slack/ids';
import { ALERT_TOKEN, BOT_API_TOKEN, botEnv } from '../../support/bot-env';
import { freePort, startChild, type Child } from '../../support/processes';
import { SlackStandIn } from '../../support/slack-stand-in';
import { blockActionPayload, commandBody, interactionBody, postToSlackEndpoint } from '../../support/slack-requests';
import { waitFor } from '../../support/start-bot';
import { createTestRedis, deleteKeys } from '../../support/test-redis';
import { recordRunner, scratch } from './rollback-harness';

// The real bot as a child process, killed with SIGKILL right after it acknowledged an Approve
// click whose decision was still being applied (a slow users.info): the click was stored before
// the acknowledgement, so the restarted bot applies it and tells the person.
const files = scratch();
const prefix = `ibtest:rbdurable:${randomUUID().slice(0, 8)}:`;
const children: Child[] = [];
let slack: SlackStandIn;
afterAll(async () => {
  await Promise.all(children.map((c) => c.stop()));
  await slack?.stop();
  const { redis, cleanup } = await createTestRedis('rbdurable');
  await deleteKeys(redis, prefix);
  await cleanup();
});

const file = {
  services: [
    {
      name: 'checkout',
      owners: ['U0OWNER'],
      rollback: { level: 'component', runners: [recordRunner(files.log)], approvers: { users: ['U0APPROVER'], groups: [] } },
    },
  ],
};
const start = async () => {
  const child = await startChild(
    'tests/support/bot-process.ts',
    botEnv({ slackApiUrl: slack.apiUrl, prefix, port: await freePort(), file }),
  );
  children.push(child);
  return child;
};
const url = (c: Child) => `http://127.0.0.1:${c.port}`;
const api = async (c: Child, path: string) =>
  (await fetch(`${url(c)}${path}`, { headers: { authorization: `Bearer ${BOT_API_TOKEN}` } })).json() as Promise<any>;
async function command(c: Child, text: string, user: string): Promise<string> {
  const responseId = randomUUID();
  await postToSlackEndpoint(
    url(c),
    commandBody({ text, user_id: user, trigger_id: randomUUID(), response_url: slack.responseUrl(responseId) }),
  );
  const reply = await waitFor(() => slack.callsTo('response_url').find((r) => r.args.responseId === responseId), `reply to ${text}`);
  return String(reply.args.text);
}

describe('an Approve click is durable before it is acknowledged', () => {
  it('kill -9 right after the ack: the restarted bot applies the approval, runs it once and tells the person', {
    timeout: 100_000,
  }, async () => {
    slack = await new SlackStandIn().start();
    const a = await start();
    const res = await fetch(`${url(a)}/alerts/generic`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERT_TOKEN}` },
      body: JSON.stringify({ dedup_key: 'rbdurable-1', title: 'checkout broken', service: 'checkout', severity: 'P1' }),
    });
    const id = ((await res.json()) as { incidents: string[] }).incidents[0]!;
    await command(a, `severity ${id} confirm`, 'U0COMMANDER');
    const requestId = /INC-\d{8}-\d{3}-R\d+/.exec(await command(a, `rollback ${id} checkout v41`, 'U0REQ'))![0];
    const message = await waitFor(() => slack.messageWithButton(ACTIONS.approveRollback, requestId), 'approval message');

    // The approver's account lookup hangs, so the decision cannot be applied within Slack's 3 s.
    slack.delay('users.info', 30_000);
    const responseId = randomUUID();
    const ack = await postToSlackEndpoint(
      url(a),
      interactionBody(
        blockActionPayload({
          actionId: ACTIONS.approveRollback,
          value: requestId,
          user: 'U0APPROVER',
          responseUrl: slack.responseUrl(responseId),
          channel: message.channel,
          messageTs: message.ts,
        }),
      ),
    );
    expect(ack.status).toBe(200);
    a.kill9();
    await new Promise((r) => a.process.once('exit', r));
    // Killed before anything was applied or told.
    expect(files.lines()).toHaveLength(0);
    expect(slack.callsTo('response_url').filter((c) => c.args.responseId === responseId)).toHaveLength(0);

    const b = await start();
    const told = await waitFor(
      () => slack.callsTo('response_url').find((c) => c.args.responseId === responseId),
      'the approver told after the restart',
      40_000,
    );
    expect(String(told.args.text)).toMatch(/Approved.*applied after the bot restarted/);
    await waitFor(
      async () => (await api(b, `/api/incidents/${id}`)).timeline?.some((e: any) => e.kind === 'rollback_succeeded'),
      'the rollback ran',
      30_000,
    );
    expect(files.lines()).toHaveLength(1);
    const { redis, cleanup } = await createTestRedis('rbdurable-check');
    const log = (await redis.lrange(`${prefix}rollback-records:${id}:decisions`, 0, -1)).map((j) => JSON.parse(j));
    await cleanup();
    expect(log.filter((d) => d.kind === 'approval' && d.by === 'U0APPROVER')).toHaveLength(1);
  });
});
