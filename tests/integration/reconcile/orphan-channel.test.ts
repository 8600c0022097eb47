import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeRedisPort } from '../../support/redis-servers';
import { startBot, waitFor, type RunningBot } from '../../support/start-bot';

// A private Redis that writes every command to its append-only file, so what was stored
// before it is killed is there again when it restarts on the same port and directory.
const dir = mkdtempSync(join(tmpdir(), 'ib-orphan-'));
let port = 0;
let server: ChildProcess | null = null;
let bot: RunningBot;

function startRedis(): ChildProcess {
  return spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''],
    { stdio: 'ignore' },
  );
}

async function redisAnswers(): Promise<boolean> {
  const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

function killRedis(): Promise<void> {
  const child = server!;
  server = null;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid!, 'SIGKILL');
  return exited;
}

beforeAll(async () => {
  port = await freeRedisPort();
  server = startRedis();
  await waitFor(redisAnswers, 'the private Redis', 30_000);
  bot = await startBot({
    env: { REDIS_URL: `redis://127.0.0.1:${port}` },
    file: { services: [{ name: 'checkout' }], channels: { create_incident_channel: true, announcement_retry: '500ms' } },
  });
}, 60_000);

afterAll(async () => {
  await bot?.stop({ cleanup: false });
  await bot?.slack.stop();
  if (server) await killRedis();
  rmSync(dir, { recursive: true, force: true });
});

describe('a channel created just before Redis failed', () => {
  it('is found again by its name after recovery and attached, not created twice', async () => {
    // Slack creates the channel; Redis dies before the bot hears back and records it.
    bot.slack.beforeAnswering('conversations.create', killRedis);
    await bot.command('open P2 checkout orphaned channel');
    const created = await waitFor(() => bot.slack.callsTo('conversations.create')[0], 'the channel creation', 30_000);
    // Only once the bot has given up recording it: a Redis back too soon would take the queued write.
    await waitFor(
      () => bot.logs.some((line) => line.includes('incident observer failed') && line.includes('"observer":"slack"')),
      'the lost write',
      60_000,
    );

    server = startRedis();
    await waitFor(redisAnswers, 'Redis back', 30_000);
    const incident = await waitFor(
      async () => {
        const listed = await bot.api('/api/incidents');
        return listed.json?.incidents?.find((i: any) => i.title === 'checkout orphaned channel' && i.slack?.channel);
      },
      'the channel attached',
      60_000,
    );

    expect(incident.slack.channel.name).toBe(created.args.name);
    expect(bot.slack.callsTo('conversations.create')).toHaveLength(1);
    const detail = await bot.api(`/api/incidents/${incident.id}`);
    expect(detail.json.timeline.some((e: any) => e.kind === 'channel' && /found again and attached/.test(e.text))).toBe(true);
  }, 120_000);

  it("a private incident's private channel is found again the same way (not a channel someone else made with its id in the name), and the people in it see it", async () => {
    await waitFor(redisAnswers, 'Redis up', 30_000);
    const publisherFailed = () =>
      bot.logs.filter((line) => line.includes('incident observer failed') && line.includes('"observer":"slack"')).length;
    const failuresBefore = publisherFailed();
    const createdBefore = bot.slack.callsTo('conversations.create').length;
    bot.slack.beforeAnswering('conversations.create', killRedis);
    await bot.command('open --private P1 payroll orphaned channel', { user: 'U0OPENER' });
    const created = await waitFor(() => bot.slack.callsTo('conversations.create')[createdBefore], 'the private channel creation', 30_000);
    expect(String(created.args.is_private)).toBe('true');
    await waitFor(
      // The publisher's own failure, as above: another observer failing first would bring Redis back too soon.
      () => publisherFailed() > failuresBefore,
      'the lost write',
      60_000,
    );

    // Channels people made by hand with the incident's id in their name, earlier than the bot's:
    // none may stand for the private incident's channel (its detail would go where they chose).
    const id = /^inc-(\d{8})-(\d{3})-private$/.exec(String(created.args.name))!;
    const earlier = Math.floor(Date.now() / 1000) - 60;
    const decoys = [
      bot.slack.addChannel({ name: `inc-${id[1]}-${id[2]}-payroll`, creator: 'U0MALLORY', created: earlier }),
      bot.slack.addChannel({ name: `inc-${id[1]}-${id[2]}-private-2`, is_private: true, creator: 'U0MALLORY', created: earlier }),
      bot.slack.addChannel({ name: `inc-${id[1]}-${id[2]}-secret`, is_private: true, creator: 'U0BOT', created: earlier }),
      // Each rule on its own: this one has the name and the creator, but is public.
      bot.slack.addChannel({ name: `inc-${id[1]}-${id[2]}-private-3`, creator: 'U0BOT', created: earlier }),
    ];

    server = startRedis();
    await waitFor(redisAnswers, 'Redis back', 30_000);
    // The opener, who was never let into the channel before the crash, is invited and sees it by name.
    const show = await waitFor(
      async () => {
        const { responseId } = await bot.command('list', { user: 'U0OPENER' });
        const list = await waitFor(() => bot.replies(responseId)[0], 'the list');
        const id = /\*(INC-\d{8}-\d{3})\* \[P1\] payroll orphaned channel/.exec(JSON.stringify(list.blocks))?.[1];
        if (!id) return null;
        const asked = await bot.command(`show ${id}`, { user: 'U0OPENER' });
        const answer = JSON.stringify(await waitFor(() => bot.replies(asked.responseId)[0], 'the detail'));
        return answer.includes('found again and attached') ? answer : null;
      },
      'the private channel attached',
      60_000,
    );
    const channel = bot.slack.callsTo('conversations.create')[createdBefore]!;
    const channelId = bot.slack.channelByName(String(channel.args.name))?.id;
    expect(channelId).toBeDefined();
    expect(show).toContain(`<#${channelId}>`);
    expect(show).toContain(`Private channel #${channel.args.name} found again and attached`);
    expect(bot.slack.members.get(channelId!)?.has('U0OPENER')).toBe(true);
    for (const decoy of decoys) expect(show).not.toContain(`<#${decoy}>`);
    expect(bot.slack.callsTo('conversations.create')).toHaveLength(createdBefore + 1);
    // Outside, still nothing of it.
    const outsider = await bot.command('list', { user: 'U0OUTSIDER' });
    expect(JSON.stringify(await waitFor(() => bot.replies(outsider.responseId)[0], 'the outsider list'))).not.toContain('payroll orphaned');
  }, 120_000);
});
