import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_TOKEN, botEnv } from '../../support/bot-env';
import { startCompiledBot, writeConfigFile, type CompiledBot } from '../../support/compiled-bot';
import { startPrivateRedis, type PrivateRedis } from '../../support/private-redis';
import { freePort } from '../../support/processes';
import { SlackStandIn } from '../../support/slack-stand-in';
import { commandBody, postToSlackEndpoint } from '../../support/slack-requests';
import { waitFor } from '../../support/start-bot';

// The compiled bot on a Redis of its own, which the test kills by pid mid-run: what do people,
// alert senders, the load balancer and the operator reading the log see?
let redis: PrivateRedis;
let slack: SlackStandIn;
let bot: CompiledBot;
beforeAll(async () => {
  redis = await startPrivateRedis();
  slack = await new SlackStandIn().start();
  const { BOT_FILE_CONFIG: _unused, ...env } = botEnv({ slackApiUrl: slack.apiUrl, prefix: 'ibtest:redisdown:', port: await freePort() });
  bot = await startCompiledBot('node dist/main.js', {
    ...env,
    REDIS_URL: redis.url,
    LOG_LEVEL: 'info',
    CONFIG: writeConfigFile({ services: [{ name: 'checkout', owners: ['U0OWNER'] }] }),
  });
}, 120_000);
afterAll(async () => {
  await bot?.stop();
  await slack?.stop();
  await redis?.kill();
});

async function command(text: string): Promise<string> {
  const responseId = randomUUID();
  const ack = await postToSlackEndpoint(
    bot.baseUrl,
    commandBody({ text, user_id: 'U0ONCALL', trigger_id: randomUUID(), response_url: slack.responseUrl(responseId) }),
  );
  // Quick reads are answered in the acknowledgement itself, the rest through response_url.
  if (ack.json?.text) return String(ack.json.text);
  const reply = await waitFor(
    () => slack.callsTo('response_url').find((r) => r.args.responseId === responseId),
    `reply to ${text}`,
    60_000,
  );
  return String(reply.args.text);
}
const alert = (key: string) =>
  fetch(`${bot.baseUrl}/alerts/generic`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERT_TOKEN}` },
    body: JSON.stringify({ dedup_key: key, title: 'checkout down', service: 'checkout', severity: 'P1' }),
  });
const readyz = () =>
  fetch(`${bot.baseUrl}/readyz`).then(
    (r) => r.status,
    () => 0,
  );
const outageLines = () => bot.logs().filter((l) => l.component === 'redis' && String(l.msg).includes('is unreachable'));

describe('Redis unreachable', () => {
  it('readiness fails, people are told to declare by hand, alert senders get 503 + Retry-After, and the log says so once', {
    timeout: 240_000,
  }, async () => {
    expect(await readyz()).toBe(200);
    expect(await command('open P2 warm-up before the outage')).toMatch(/INC-\d{8}-\d{3}/);

    await redis.kill();
    await waitFor(async () => (await readyz()) === 503, '/readyz to fail', 60_000);

    for (const text of ['open P1 checkout is down', 'list']) {
      const reply = await command(text);
      expect(reply).toContain('The incident store (Redis) is unreachable: nothing was recorded. Declare in #incident-response by hand;');
    }
    for (const key of ['down-1', 'down-2', 'down-3']) {
      const res = await alert(key);
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await res.json()) as { error: string }).error).toBe('unavailable');
    }

    // One line for the outage, naming the server and the error; nothing per request.
    const lines = outageLines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, redis: redis.url });
    expect(lines[0]!.err).toMatch(/ECONNREFUSED|Connection is closed|connect/);
    const errors = bot.logs().filter((l) => l.level >= 50 && l !== undefined);
    expect(errors.map((l) => l.msg)).toEqual([lines[0]!.msg]);

    // Back again: ready, said once, commands work; a second outage is a second line.
    await redis.restart();
    await waitFor(async () => (await readyz()) === 200, '/readyz to recover', 60_000);
    await waitFor(
      () => bot.logs().find((l) => l.component === 'redis' && String(l.msg).includes('reachable again')),
      'the recovery line',
      30_000,
    );
    expect(await command('open P2 after the outage')).toMatch(/INC-\d{8}-\d{3}/);
    await redis.kill();
    await waitFor(() => (outageLines().length === 2 ? true : undefined), 'a line for the second outage', 60_000);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(outageLines()).toHaveLength(2);
  });
});
