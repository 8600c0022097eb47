import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_PREFIX, startSandbox, type RunningSandbox } from '../../../src/sandbox/start-sandbox';
import { freePort } from '../../support/processes';
import { waitFor } from '../../support/start-bot';
import { TEST_REDIS_URL, createTestRedis, deleteKeys } from '../../support/test-redis';

// The machine is shared and loaded: generous waits, never timed assertions.
const WAIT = 30_000;
const TITLE = 'Payroll export leaked';

describe('the sandbox tells the bot who joins a private incident channel', () => {
  let sandbox: RunningSandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({
      port: await freePort(),
      redisUrl: TEST_REDIS_URL,
      prefix: `${SANDBOX_PREFIX}test-${randomUUID().slice(0, 8)}:`,
      triggerTtlMs: 60_000,
      botLog: () => undefined,
    });
  }, 120_000);

  afterAll(async () => {
    await sandbox?.stop();
    if (sandbox) {
      const { redis, cleanup } = await createTestRedis('sandbox-cleanup');
      await deleteKeys(redis, sandbox.prefix);
      await cleanup();
    }
  }, 60_000);

  /** What a person does on the page. */
  const act = async (action: string, body: Record<string, unknown>) => {
    const response = await fetch(`${sandbox.url.replace(/\/$/, '')}/sandbox/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status, `${action} ${JSON.stringify(body)}`).toBe(200);
  };

  /** The answer this person sees to `/incident list` typed in #general (an ephemeral message only they see). */
  const listSeenBy = async (user: string): Promise<string> => {
    const before = sandbox.workspace.messages.filter((m) => m.visibleTo === user).length;
    await act('command', { user, channel: 'C0GENERAL', text: '/incident list' });
    const answer = await waitFor(() => sandbox.workspace.messages.filter((m) => m.visibleTo === user)[before], `${user}'s list`, WAIT);
    return JSON.stringify(answer);
  };

  it('a person who joins the private channel on the page then sees the title in /incident list', { timeout: 120_000 }, async () => {
    await act('command', { user: 'U0DEV', channel: 'C0GENERAL', text: `/incident open --private P1 ${TITLE}` });
    const channel = await waitFor(
      () => [...sandbox.workspace.channels.values()].find((c) => c.private && c.name.endsWith('-private')),
      'the private channel',
      WAIT,
    );
    const seenBefore = await listSeenBy('U0APPROVER1');
    expect(seenBefore).toContain('Private incident');
    expect(seenBefore).not.toContain(TITLE);

    await act('join', { user: 'U0APPROVER1', channel: channel.id });
    await waitFor(async () => (await listSeenBy('U0APPROVER1')).includes(TITLE), 'the title in their list', WAIT);
    // Someone who did not join still sees only that one exists.
    expect(await listSeenBy('U0APPROVER2')).not.toContain(TITLE);
  });
});
