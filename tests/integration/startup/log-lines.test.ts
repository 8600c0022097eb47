import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_TOKEN, botEnv } from '../../support/bot-env';
import { startCompiledBot, writeConfigFile, type CompiledBot } from '../../support/compiled-bot';
import { freePort } from '../../support/processes';
import { SlackStandIn } from '../../support/slack-stand-in';
import { commandBody, slackSignature } from '../../support/slack-requests';
import { waitFor } from '../../support/start-bot';
import { createTestRedis, deleteKeys } from '../../support/test-redis';

// The compiled bot's own stdout, line by line, as a log shipper reads it.
const prefix = `ibtest:logs:${randomUUID().slice(0, 8)}:`;
let slack: SlackStandIn;
let bot: CompiledBot;
beforeAll(async () => {
  slack = await new SlackStandIn().start();
  const { BOT_FILE_CONFIG: _unused, ...env } = botEnv({ slackApiUrl: slack.apiUrl, prefix, port: await freePort() });
  bot = await startCompiledBot('node dist/main.js', {
    ...env,
    LOG_LEVEL: 'debug',
    CONFIG: writeConfigFile({ services: [{ name: 'checkout', owners: ['U0OWNER'] }] }),
  });
}, 120_000);
afterAll(async () => {
  await bot?.stop();
  await slack?.stop();
  const { redis, cleanup } = await createTestRedis('logs');
  await deleteKeys(redis, prefix);
  await cleanup();
});

/** The keys of a JSON object's top level, duplicates kept (JSON.parse would hide them). */
function topLevelKeys(line: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') {
      let j = i + 1;
      while (line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
      if (depth === 1 && expectKey) keys.push(line.slice(i + 1, j));
      expectKey = false;
      i = j;
    } else if (c === '{' || c === '[') {
      depth++;
      expectKey = c === '{' && depth === 1;
    } else if (c === '}' || c === ']') depth--;
    else if (c === ',' && depth === 1) expectKey = true;
  }
  return keys;
}

describe('log lines of the running bot', () => {
  it('ISO-8601 times, each key once, and the request id on every line of a request', { timeout: 120_000 }, async () => {
    const res = await fetch(`${bot.baseUrl}/alerts/generic`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERT_TOKEN}`, 'x-request-id': 'lb-alert-0001' },
      body: JSON.stringify({ dedup_key: 'logs-1', title: 'checkout slow', service: 'checkout', severity: 'P2' }),
    });
    expect(res.status).toBe(202);
    expect(res.headers.get('x-request-id')).toBe('lb-alert-0001');

    const body = commandBody({
      text: 'open P3 log check',
      user_id: 'U0ONCALL',
      trigger_id: randomUUID(),
      response_url: slack.responseUrl(randomUUID()),
    });
    const timestamp = Math.floor(Date.now() / 1000);
    const slackRes = await fetch(`${bot.baseUrl}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': slackSignature(body, timestamp),
      },
      body,
    });
    expect(slackRes.status).toBe(200);
    const slackReqId = slackRes.headers.get('x-request-id');
    expect(slackReqId).toMatch(/^[0-9a-f-]{36}$/);
    await waitFor(
      () => bot.logs().find((l) => l.reqId === slackReqId && l.component === 'incidents'),
      'the command to open its incident',
      60_000,
    );
    await new Promise((r) => setTimeout(r, 500));

    const lines = bot.lines();
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) {
      const parsed = JSON.parse(line);
      expect(parsed.time, line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const keys = topLevelKeys(line);
      expect(
        keys.filter((k, i) => keys.indexOf(k) !== i),
        line,
      ).toEqual([]);
    }
    // The alert's lines carry the load balancer's id, the command's a fresh one, down to the
    // Slack calls each made; no line of either is without it.
    const opened = bot.logs().filter((l) => l.msg === 'incident opened');
    expect(opened.map((l) => [l.source, l.reqId])).toEqual([
      ['generic', 'lb-alert-0001'],
      ['slack', slackReqId],
    ]);
    for (const id of ['lb-alert-0001', slackReqId]) {
      const ofRequest = bot.logs().filter((l) => l.reqId === id);
      expect(ofRequest.length, id!).toBeGreaterThan(1);
      expect(new Set(ofRequest.map((l) => l.component))).toContain('incidents');
    }
    expect(
      bot
        .logs()
        .filter((l) => l.msg === "apiCall('chat.postMessage') start")
        .every((l) => l.reqId === 'lb-alert-0001' || l.reqId === slackReqId),
    ).toBe(true);
  });
});
