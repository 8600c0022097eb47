import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { SandboxError } from './sandbox-error';
import { SandboxGitHub } from './sandbox-github';
import { SandboxPagerDuty } from './sandbox-pagerduty';
import { ensureRedis, type SandboxRedis } from './private-redis';
import { BotDeliveries } from './slack-emulator/bot-deliveries';
import { SlackWebApi } from './slack-emulator/slack-web-api';
import { TriggerIds } from './slack-emulator/trigger-ids';
import { Workspace } from './slack-emulator/workspace';
import { WorkspaceServer } from './workspace-server';

const REPO_ROOT = new URL('../../', import.meta.url).pathname;
/** Every sandbox key lives under this; the sandbox never reads or deletes anything else. */
export const SANDBOX_PREFIX = 'incident-bot-sandbox:';

export interface SandboxOptions {
  port: number;
  redisUrl: string;
  /** Below SANDBOX_PREFIX; tests give each run its own. */
  prefix?: string;
  /** Slack's is 3 s; tests on a loaded machine may allow more. */
  triggerTtlMs?: number;
  /** Where the bot's own log lines go (default: this process's stderr). */
  botLog?: (line: string) => void;
}

export interface RunningSandbox {
  url: string;
  botUrl: string;
  prefix: string;
  redis: SandboxRedis;
  workspace: Workspace;
  server: WorkspaceServer;
  github: SandboxGitHub;
  pagerduty: SandboxPagerDuty;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
      .once('error', reject)
      .listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(port));
      });
  });
}

/** Deletes this sandbox's own keys (a fresh workspace each start: the emulator's messages are in memory). */
async function clearSandboxKeys(redisUrl: string, prefix: string): Promise<void> {
  if (!prefix.startsWith(SANDBOX_PREFIX)) throw new Error(`refusing to clear keys outside ${SANDBOX_PREFIX}: ${prefix}`);
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * Starts the sandbox: binds the workspace port first (a taken port stops here, nothing
 * started), makes sure Redis answers, starts the PagerDuty stand-in, then runs the real bot
 * (src/main.ts, unchanged) as a child process pointed at the emulator through its base-URL
 * variables, and waits until it is ready. Any failure stops what was started.
 */
export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const prefix = options.prefix ?? SANDBOX_PREFIX;
  if (!prefix.startsWith(SANDBOX_PREFIX))
    throw new SandboxError(`the sandbox's Redis prefix must start with ${SANDBOX_PREFIX} (got ${prefix})`);
  const secrets = {
    signing: randomBytes(16).toString('hex'),
    botToken: `xoxb-sandbox-${randomBytes(8).toString('hex')}`,
    alert: randomBytes(16).toString('hex'),
    pagerDutyWebhook: randomBytes(16).toString('hex'),
    pagerDutyRest: randomBytes(8).toString('hex'),
  };
  const workspace = new Workspace();
  const triggers = new TriggerIds(options.triggerTtlMs ?? 3000);
  const api = new SlackWebApi(workspace, triggers, secrets.botToken);
  let sandboxUrl = '';
  let botUrl = '';
  const deliveries = new BotDeliveries(workspace, triggers, {
    eventsUrl: () => `${botUrl}/slack/events`,
    signingSecret: secrets.signing,
    responseUrlBase: () => `${sandboxUrl}/respond/`,
  });
  // As in Slack, the bot hears who was added to its channels (after the invite is answered).
  api.onJoined = (channel, users, inviter) =>
    setImmediate(() => {
      for (const user of users) void deliveries.memberJoined(user, channel, inviter);
    });
  const github = new SandboxGitHub('sandbox', 'incidents', () => workspace.changed());
  const pagerduty = new SandboxPagerDuty(
    secrets.pagerDutyRest,
    { policy: 'PSANDBOX', userName: 'dana (on-call)', email: 'dana@sandbox.example' },
    () => workspace.changed(),
  );
  const server = new WorkspaceServer({
    workspace,
    api,
    deliveries,
    github,
    pagerduty,
    bot: () => ({ url: botUrl, alertToken: secrets.alert, pagerDutySecret: secrets.pagerDutyWebhook }),
  });

  const cleanups: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    cleanups.length = 0;
  };
  try {
    const port = await server.listen(options.port);
    cleanups.push(() => server.close());
    sandboxUrl = `http://127.0.0.1:${port}`;
    const redis = await ensureRedis(options.redisUrl);
    cleanups.push(() => redis.stop());
    await clearSandboxKeys(redis.url, prefix);
    await pagerduty.start();
    cleanups.push(() => pagerduty.stop());
    const caDir = mkdtempSync(join(tmpdir(), 'incident-bot-sandbox-'));
    cleanups.push(async () => rmSync(caDir, { recursive: true, force: true }));
    writeFileSync(join(caDir, 'pagerduty-ca.pem'), pagerduty.ca);

    const botPort = await freePort();
    botUrl = `http://127.0.0.1:${botPort}`;
    const bot = startBot(
      {
        SLACK_BOT_TOKEN: secrets.botToken,
        SLACK_SIGNING_SECRET: secrets.signing,
        SLACK_API_URL: `${sandboxUrl}/api/`,
        REDIS_URL: redis.url,
        REDIS_PREFIX: prefix,
        GITHUB_TOKEN: 'sandbox-github-token',
        GITHUB_REPOSITORY: 'sandbox/incidents',
        GITHUB_API_URL: `${sandboxUrl}/github`,
        PAGERDUTY_TOKEN: secrets.pagerDutyRest,
        PAGERDUTY_ROUTING_KEY: 'sandbox-routing-key',
        PAGERDUTY_API_URL: pagerduty.url,
        PAGERDUTY_EVENTS_URL: pagerduty.url,
        PAGERDUTY_CA_FILE: join(caDir, 'pagerduty-ca.pem'),
        PAGERDUTY_WEBHOOK_SECRET: secrets.pagerDutyWebhook,
        ALERT_WEBHOOK_TOKEN: secrets.alert,
        API_TOKEN: randomBytes(8).toString('hex'),
        PORT: String(botPort),
        CONFIG: 'examples/sandbox/config.yml',
        LOG_LEVEL: process.env.SANDBOX_BOT_LOG_LEVEL ?? 'warn',
      },
      options.botLog ?? ((line) => process.stderr.write(`[bot] ${line}\n`)),
    );
    cleanups.push(() => stopChild(bot.child));
    // Interrupted before stop() (Ctrl-C while starting): never leave the bot running behind us.
    const killOnExit = () => bot.child.kill('SIGKILL');
    process.once('exit', killOnExit);
    cleanups.push(async () => void process.off('exit', killOnExit));
    await waitUntilReady(botUrl, bot);
    return { url: sandboxUrl, botUrl, prefix, redis, workspace, server, github, pagerduty, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

interface BotChild {
  child: ChildProcess;
  output: string[];
}

function startBot(env: Record<string, string>, log: (line: string) => void): BotChild {
  // Only what the bot needs from this environment: its own variables are all set above.
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_OPTIONS: process.env.NODE_OPTIONS ?? '' };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const take = (chunk: Buffer) => {
    for (const line of String(chunk).split('\n').filter(Boolean)) {
      output.push(line);
      if (output.length > 50) output.shift();
      log(line);
    }
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  return { child, output };
}

/** Generous: on a loaded machine loading the bot alone has taken over 10 s. */
async function waitUntilReady(botUrl: string, bot: BotChild, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (bot.child.exitCode !== null)
      throw new SandboxError(`the bot exited (code ${bot.child.exitCode}) before it was ready:\n${bot.output.slice(-15).join('\n')}`);
    const ready = await fetch(`${botUrl}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new SandboxError(`the bot did not become ready within ${timeoutMs / 1000} s:\n${bot.output.slice(-15).join('\n')}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
