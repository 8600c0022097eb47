import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { buildApp, type IncidentBot } from '../../src/build-app';
import { configuredSecrets } from '../../src/config/configured-secrets';
import { loadConfig } from '../../src/config/load-config';
import type { Clock } from '../../src/domain/clock';
import { createLogger } from '../../src/logger';
import { SlackStandIn } from './slack-stand-in';
import {
  TEST_SIGNING_SECRET,
  blockActionPayload,
  commandBody,
  interactionBody,
  postToSlackEndpoint,
  viewSubmissionPayload,
  type SlackResponse,
} from './slack-requests';
import { TEST_REDIS_URL, createTestRedis, deleteKeys } from './test-redis';
import { withoutStorms } from './without-storms';

export const TEST_API_TOKEN = 'test-api-token-abcdef';

export interface StartBotOptions {
  file?: Record<string, unknown>;
  env?: Record<string, string>;
  clock?: Clock;
  /** Reuse a prefix (restart tests) and a Slack stand-in. */
  prefix?: string;
  slack?: SlackStandIn;
}

export interface RunningBot {
  bot: IncidentBot;
  slack: SlackStandIn;
  baseUrl: string;
  prefix: string;
  logs: string[];
  command(
    text: string,
    opts?: { user?: string; channel?: string; triggerId?: string; retryNum?: number },
  ): Promise<SlackResponse & { responseId: string }>;
  /** Clicks the button on the message that shows it (as Slack sends it), or on an arbitrary message when none does. */
  click(
    actionId: string,
    value: string,
    user?: string,
    on?: { channel: string; ts: string },
  ): Promise<SlackResponse & { responseId: string }>;
  submitView(
    callbackId: string,
    values: Record<string, Record<string, unknown>>,
    opts?: { viewId?: string; user?: string; privateMetadata?: string; retryNum?: number },
  ): Promise<SlackResponse>;
  /**
   * What the person was answered for one request, as Slack shows it: a message in the
   * acknowledgement body (marked `viaAck: true`) first, then posts to its response_url.
   */
  replies(responseId: string): Record<string, any>[];
  api(path: string, token?: string | null): Promise<{ status: number; json: any }>;
  /** Stops the app (keeps Redis keys and the stand-in unless `cleanup`). */
  stop(options?: { cleanup?: boolean }): Promise<void>;
}

/** Polls until `check` returns a truthy value; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 5000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Builds the real app through the composition root, pointed at a Slack stand-in and a fresh Redis prefix. */
export async function startBot(options: StartBotOptions = {}): Promise<RunningBot> {
  const slack = options.slack ?? (await new SlackStandIn().start());
  const prefix = options.prefix ?? `ibtest:bot:${randomUUID().slice(0, 8)}:`;
  const loaded = loadConfig({
    env: {
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      API_TOKEN: TEST_API_TOKEN,
      LOG_LEVEL: 'info',
      ...options.env,
    },
    file: withoutStorms(options.file ?? { services: [{ name: 'checkout', owners: ['U0ALICE'] }, { name: 'search' }] }),
  });
  if (!loaded.ok) throw new Error(`test config invalid: ${loaded.errors.join('; ')}`);
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const bot = await buildApp({
    config: loaded.config,
    ...(options.clock ? { clock: options.clock } : {}),
    logger: createLogger('info', sink, configuredSecrets(loaded.config)),
  });
  const port = await bot.start(0);
  const baseUrl = `http://127.0.0.1:${port}`;

  const ackAnswers = new Map<string, Record<string, any>>();
  const running: RunningBot = {
    bot,
    slack,
    baseUrl,
    prefix,
    logs,
    async command(text, opts = {}) {
      const responseId = randomUUID();
      const body = commandBody({
        text,
        user_id: opts.user,
        channel_id: opts.channel,
        trigger_id: opts.triggerId,
        response_url: slack.responseUrl(responseId),
      });
      const response = await postToSlackEndpoint(baseUrl, body, { retryNum: opts.retryNum });
      // Slack shows a message in the ack body to the person, as it shows a response_url post.
      if (response.json && (response.json.text || response.json.blocks)) ackAnswers.set(responseId, response.json);
      return { ...response, responseId };
    },
    async click(actionId, value, user, on) {
      const responseId = randomUUID();
      // A button since redrawn away (expired, stopped) is clicked on the message that carried it.
      const message =
        on ?? slack.messageWithButton(actionId, value) ?? slack.messages.findLast((m) => m.metadata?.event_payload?.request_id === value);
      const body = interactionBody(
        blockActionPayload({
          actionId,
          value,
          user,
          responseUrl: slack.responseUrl(responseId),
          ...(message ? { channel: message.channel, messageTs: message.ts } : {}),
        }),
      );
      const response = await postToSlackEndpoint(baseUrl, body);
      return { ...response, responseId };
    },
    async submitView(callbackId, values, opts = {}) {
      const body = interactionBody(
        viewSubmissionPayload({ callbackId, values, viewId: opts.viewId, user: opts.user, privateMetadata: opts.privateMetadata }),
      );
      return postToSlackEndpoint(baseUrl, body, { retryNum: opts.retryNum });
    },
    replies(responseId) {
      const acked = ackAnswers.get(responseId);
      return [
        ...(acked ? [{ ...acked, responseId, viaAck: true }] : []),
        ...slack
          .callsTo('response_url')
          .filter((c) => c.args.responseId === responseId)
          .map((c) => c.args),
      ];
    },
    async api(path, token = TEST_API_TOKEN) {
      const response = await fetch(`${baseUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      return { status: response.status, json: await response.json().catch(() => null) };
    },
    async stop({ cleanup = true } = {}) {
      await bot.stop();
      if (cleanup) {
        const { redis, cleanup: close } = await createTestRedis('cleanup');
        await deleteKeys(redis, prefix);
        await close();
        if (!options.slack) await slack.stop();
      }
    },
  };
  return running;
}
