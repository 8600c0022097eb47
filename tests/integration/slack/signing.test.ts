import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandBody, postToSlackEndpoint, slackSignature } from '../../support/slack-requests';
import { startBot, type RunningBot } from '../../support/start-bot';

let bot: RunningBot;
beforeAll(async () => { bot = await startBot(); });
afterAll(async () => { await bot?.stop(); });

const body = () => commandBody({ text: 'open P1 should never exist', response_url: bot.slack.responseUrl('x') });

describe('Slack request signatures', () => {
  it('refuses an unsigned request with 401 and does nothing', async () => {
    const res = await postToSlackEndpoint(bot.baseUrl, body(), { signature: null });
    expect(res.status).toBe(401);
  });

  it('refuses a signature made with another secret', async () => {
    const res = await postToSlackEndpoint(bot.baseUrl, body(), { secret: 'not-the-secret' });
    expect(res.status).toBe(401);
  });

  it('refuses a body changed after signing', async () => {
    const ts = Math.floor(Date.now() / 1000);
    const signed = body();
    const res = await postToSlackEndpoint(bot.baseUrl, signed.replace('should', 'could'), { timestamp: ts, signature: slackSignature(signed, ts) });
    expect(res.status).toBe(401);
  });

  it('refuses a stale request (older than 5 minutes), even correctly signed', async () => {
    const res = await postToSlackEndpoint(bot.baseUrl, body(), { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(res.status).toBe(401);
  });

  it('left no incident, no Slack call and no reply behind', async () => {
    expect(bot.slack.callsTo('chat.postMessage')).toEqual([]);
    expect(bot.slack.callsTo('response_url')).toEqual([]);
    expect((await bot.api('/api/incidents?status=all')).json.incidents).toEqual([]);
  });

  it('accepts a correctly signed request', async () => {
    const res = await postToSlackEndpoint(bot.baseUrl, commandBody({ text: 'help', response_url: bot.slack.responseUrl('y') }));
    expect(res.status).toBe(200);
    expect(res.json.text).toContain('/incident open');
  });
});
