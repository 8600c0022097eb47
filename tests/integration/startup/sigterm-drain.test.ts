import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/adapters/outbound/slack/ids';
import { ALERT_TOKEN, BOT_API_TOKEN, botEnv } from '../../support/bot-env';
import { startCompiledBot, writeConfigFile, type CompiledBot, type StartMode } from '../../support/compiled-bot';
import { freePort, startChild, type Child } from '../../support/processes';
import { SlackStandIn } from '../../support/slack-stand-in';
import { blockActionPayload, commandBody, interactionBody, postToSlackEndpoint } from '../../support/slack-requests';
import { waitFor } from '../../support/start-bot';
import { createTestRedis, deleteKeys } from '../../support/test-redis';
import { recordRunner, scratch } from '../rollback/rollback-harness';

// A rolling deploy sends SIGTERM; a terminal's Ctrl-C, systemd and `kill -- -PGID` send it to
// the whole process group, so under `npm start` node hears it from the group and again from
// npm forwarding it. However started and however many signals, the rollback in flight finishes.
const files = scratch();
const prefix = `ibtest:sigterm:${randomUUID().slice(0, 8)}:`;
const running: Array<CompiledBot | Child> = [];
let slack: SlackStandIn;
afterAll(async () => {
  await Promise.all(running.map((c) => c.stop()));
  await slack?.stop();
  const { redis, cleanup } = await createTestRedis('sigterm');
  await deleteKeys(redis, prefix);
  await cleanup();
});

const file = {
  services: [
    {
      name: 'checkout',
      owners: ['U0OWNER'],
      // The script takes 8 s: long enough, even on a loaded machine, to signal the bot twice while it runs.
      rollback: {
        level: 'component',
        runners: [recordRunner(files.log, 'primary', 0, 8)],
        approvers: { users: ['U0APPROVER'], groups: [] },
      },
    },
  ],
};

async function command(baseUrl: string, text: string, user: string): Promise<string> {
  const responseId = randomUUID();
  await postToSlackEndpoint(
    baseUrl,
    commandBody({ text, user_id: user, trigger_id: randomUUID(), response_url: slack.responseUrl(responseId) }),
  );
  const reply = await waitFor(
    () => slack.callsTo('response_url').find((r) => r.args.responseId === responseId),
    `reply to ${text}`,
    60_000,
  );
  return String(reply.args.text);
}

describe.each<StartMode>(['npm start', 'node dist/main.js'])('SIGTERM twice to %s during a rollback', (mode) => {
  it('the bot keeps draining, the rollback succeeds, then the bot exits 0', { timeout: 240_000 }, async () => {
    slack ??= await new SlackStandIn().start();
    const { BOT_FILE_CONFIG: _unused, ...env } = botEnv({ slackApiUrl: slack.apiUrl, prefix, port: await freePort() });
    const bot = await startCompiledBot(mode, { ...env, LOG_LEVEL: 'info', CONFIG: writeConfigFile(file) });
    running.push(bot);
    const res = await fetch(`${bot.baseUrl}/alerts/generic`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERT_TOKEN}` },
      body: JSON.stringify({ dedup_key: `term-${mode}`, title: 'checkout broken', service: 'checkout', severity: 'P1' }),
    });
    const id = ((await res.json()) as { incidents: string[] }).incidents[0]!;
    await command(bot.baseUrl, `severity ${id} confirm`, 'U0COMMANDER');
    const requestId = /INC-\d{8}-\d{3}-R\d+/.exec(await command(bot.baseUrl, `rollback ${id} checkout v41`, 'U0REQ'))![0];
    const linesBefore = files.lines().length;
    // Clicked on the approval message itself, as Slack sends it (the bot checks the click's message).
    const approval = await waitFor(() => slack.messageWithButton(ACTIONS.approveRollback, requestId), 'approval message', 60_000);
    await postToSlackEndpoint(
      bot.baseUrl,
      interactionBody(
        blockActionPayload({
          actionId: ACTIONS.approveRollback,
          value: requestId,
          user: 'U0APPROVER',
          responseUrl: slack.responseUrl(randomUUID()),
          channel: approval.channel,
          messageTs: approval.ts,
        }),
      ),
    );
    await waitFor(() => (files.lines().length > linesBefore ? true : undefined), 'rollback script started', 60_000);

    const termAt = Date.now();
    bot.signal('SIGTERM');
    await waitFor(() => bot.logs().find((l) => l.msg?.startsWith('shutting down')), 'the first signal is taken', 30_000);
    bot.signal('SIGTERM');
    await bot.nodeExited();
    // Under npm, npm itself dies on the signal (143) and node carries on alone; node's own
    // exit code is only visible when it is started directly.
    if (mode === 'node dist/main.js') expect(await bot.exited).toEqual({ code: 0, signal: null });
    // It waited for the 8 s script rather than dying on the second signal.
    expect(Date.now() - termAt).toBeGreaterThan(2_000);
    expect(bot.logs().some((l) => l.msg?.startsWith('already shutting down'))).toBe(true);
    expect(bot.logs().some((l) => l.msg?.startsWith('drained; exiting'))).toBe(true);

    // A fresh bot on the same Redis reads the outcome: succeeded, never unknown, run once.
    const next = await startChild(
      'tests/support/bot-process.ts',
      botEnv({ slackApiUrl: slack.apiUrl, prefix, port: await freePort(), file }),
      90_000,
    );
    running.push(next);
    const api = async () =>
      (
        (await (
          await fetch(`http://127.0.0.1:${next.port}/api/incidents/${id}`, { headers: { authorization: `Bearer ${BOT_API_TOKEN}` } })
        ).json()) as any
      ).timeline as any[];
    expect((await api()).find((e) => e.kind === 'rollback_succeeded')?.text).toContain(requestId);
    expect((await api()).map((e) => e.kind)).not.toContain('rollback_unknown');
    expect(
      files
        .lines()
        .slice(linesBefore)
        .map((l) => l.split(' ')[0]),
    ).toEqual(['primary']);
    await next.stop();
  });
});
