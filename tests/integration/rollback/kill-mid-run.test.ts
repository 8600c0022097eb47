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

// The real bot as a child process, killed with SIGKILL while its rollback script runs: the
// restarted bot must not guess the outcome, must not re-run it, and must not run a fallback.
const files = scratch();
const prefix = `ibtest:rbkill:${randomUUID().slice(0, 8)}:`;
const children: Child[] = [];
let slack: SlackStandIn;
afterAll(async () => {
  await Promise.all(children.map((c) => c.stop()));
  await slack?.stop();
  const { redis, cleanup } = await createTestRedis('rbkill');
  await deleteKeys(redis, prefix);
  await cleanup();
});

const file = {
  services: [
    {
      name: 'checkout',
      owners: ['U0OWNER'],
      rollback: {
        level: 'component',
        // The primary takes 4 s; the fallback must never run after the crash.
        runners: [recordRunner(files.log, 'primary', 0, 4), recordRunner(files.log, 'fallback')],
        approvers: { users: ['U0APPROVER'], groups: [] },
      },
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

describe('kill -9 of the bot while its rollback runs', () => {
  it('the restarted bot marks it unknown and asks a person; nothing is re-run, no fallback runs', { timeout: 100_000 }, async () => {
    slack = await new SlackStandIn().start();
    const a = await start();
    const res = await fetch(`${url(a)}/alerts/generic`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERT_TOKEN}` },
      body: JSON.stringify({ dedup_key: 'rbkill-1', title: 'checkout broken', service: 'checkout', severity: 'P1' }),
    });
    const id = ((await res.json()) as { incidents: string[] }).incidents[0]!;
    await command(a, `severity ${id} confirm`, 'U0COMMANDER');
    const proposed = await command(a, `rollback ${id} checkout v41`, 'U0REQ');
    const requestId = /INC-\d{8}-\d{3}-R\d+/.exec(proposed)![0];
    await postToSlackEndpoint(
      url(a),
      interactionBody(
        blockActionPayload({
          actionId: ACTIONS.approveRollback,
          value: requestId,
          user: 'U0APPROVER',
          responseUrl: slack.responseUrl(randomUUID()),
          ...onItsMessage(slack, requestId),
        }),
      ),
    );
    // The script has started (it writes its line first, then sleeps 4 s): kill the bot now.
    await waitFor(() => (files.lines().length ? true : undefined), 'rollback script started', 10_000);
    a.kill9();
    await new Promise((r) => a.process.once('exit', r));
    const killedAt = Date.now();

    const b = await start();
    // Its liveness mark must expire first (10 s): only then does nobody own the run.
    const unknown = await waitFor(
      async () => (await api(b, `/api/incidents/${id}`)).timeline.find((e: any) => e.kind === 'rollback_unknown'),
      'marked unknown',
      60_000,
    );
    console.log(`kill -9 → rollback marked unknown after ${Date.now() - killedAt} ms (liveness mark 10 s)`);
    expect(unknown.text).toMatch(
      new RegExp(`Rollback ${requestId} outcome unknown: .*primary-script.*Not re-run; a person must check and decide.`),
    );
    await waitFor(
      () =>
        slack
          .callsTo('chat.postMessage')
          .find(
            (c) => String(c.args.text).includes(`*Rollback ${requestId} outcome unknown*`) && String(c.args.text).includes('<@U0OWNER>'),
          ),
      'a person is asked',
    );
    // The orphaned script may finish on its own (it is its own process group); the bot never starts another.
    await new Promise((r) => setTimeout(r, 5_000));
    expect(files.lines().map((l) => l.split(' ')[0])).toEqual(['primary']);
    const kinds = (await api(b, `/api/incidents/${id}`)).timeline.map((e: any) => e.kind);
    expect(kinds.filter((k: string) => k === 'rollback_started')).toHaveLength(1);
    expect(kinds).not.toContain('rollback_fallback');
  });

  it('SIGTERM (a rolling deploy of the bot) while a rollback runs: the bot waits for it, it succeeds, then the bot exits', {
    timeout: 60_000,
  }, async () => {
    slack ??= await new SlackStandIn().start();
    const c = await start();
    const res = await fetch(`${url(c)}/alerts/generic`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERT_TOKEN}` },
      body: JSON.stringify({ dedup_key: 'rbterm-1', title: 'checkout broken again', service: 'checkout', severity: 'P1' }),
    });
    const id = ((await res.json()) as { incidents: string[] }).incidents[0]!;
    await command(c, `severity ${id} confirm`, 'U0COMMANDER');
    const requestId = /INC-\d{8}-\d{3}-R\d+/.exec(await command(c, `rollback ${id} checkout v41`, 'U0REQ'))![0];
    const linesBefore = files.lines().length;
    await postToSlackEndpoint(
      url(c),
      interactionBody(
        blockActionPayload({
          actionId: ACTIONS.approveRollback,
          value: requestId,
          user: 'U0APPROVER',
          responseUrl: slack.responseUrl(randomUUID()),
          ...onItsMessage(slack, requestId),
        }),
      ),
    );
    await waitFor(() => (files.lines().length > linesBefore ? true : undefined), 'rollback script started', 10_000);
    const termAt = Date.now();
    c.process.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => c.process.once('exit', (exit) => r(exit)));
    expect(code).toBe(0);
    // It waited for the 4 s script rather than leaving it behind.
    expect(Date.now() - termAt).toBeGreaterThan(2_000);

    const d = await start();
    const timeline = (await api(d, `/api/incidents/${id}`)).timeline;
    expect(timeline.find((e: any) => e.kind === 'rollback_succeeded')?.text).toContain(requestId);
    await new Promise((r) => setTimeout(r, 1_000));
    const kinds = (await api(d, `/api/incidents/${id}`)).timeline.map((e: any) => e.kind);
    expect(kinds).not.toContain('rollback_unknown');
    expect(
      files
        .lines()
        .slice(linesBefore)
        .map((l) => l.split(' ')[0]),
    ).toEqual(['primary']);
  });
});

/** Where Slack shows the Approve button of this request: the click comes from that message. */
function onItsMessage(slack: SlackStandIn, requestId: string): { channel: string; messageTs: string } {
  const message = slack.messageWithButton(ACTIONS.approveRollback, requestId);
  if (!message) throw new Error(`no approval message for ${requestId}`);
  return { channel: message.channel, messageTs: message.ts };
}
