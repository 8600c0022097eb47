import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActionPayload, commandBody, interactionBody, postToSlackEndpoint, slackSignature } from '../../support/slack-requests';
import { startBot, type RunningBot } from '../../support/start-bot';

let bot: RunningBot;
beforeAll(async () => {
  bot = await startBot();
});
afterAll(async () => {
  await bot?.stop();
});

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
    const res = await postToSlackEndpoint(bot.baseUrl, signed.replace('should', 'could'), {
      timestamp: ts,
      signature: slackSignature(signed, ts),
    });
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

describe('forged and foreign requests (issue: hostile run)', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const refusedWith = (res: { status: number; json: any }, status: number, code: string) => {
    expect(res.status).toBe(status);
    expect(res.json.error).toBe(code);
    expect(res.json.request_id).toMatch(/^[0-9a-f-]{36}$/);
    // One log line, with that request id, naming the check; never the signature.
    const lines = bot.logs.filter((l) => l.includes(res.json.request_id));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(code);
    expect(lines[0]).not.toMatch(/v0=[0-9a-f]{64}/);
  };

  it('refuses a timestamp 301 s in the future, correctly signed', async () => {
    refusedWith(await postToSlackEndpoint(bot.baseUrl, body(), { timestamp: now() + 301 }), 401, 'slack.stale_timestamp');
  });

  it('accepts a timestamp a little in the future (clock skew within 5 min)', async () => {
    const res = await postToSlackEndpoint(bot.baseUrl, commandBody({ text: 'help', response_url: bot.slack.responseUrl('skew') }), {
      timestamp: now() + 60,
    });
    expect(res.status).toBe(200);
  });

  it.each([
    ['trailing "="', (sig: string) => `${sig}=`],
    ['trailing "=junk"', (sig: string) => `${sig}=junk`],
    ['upper-case hex', (sig: string) => sig.toUpperCase().replace('V0=', 'v0=')],
    ['a v1 prefix', (sig: string) => sig.replace('v0=', 'v1=')],
    ['63 hex digits', (sig: string) => sig.slice(0, -1)],
  ])('refuses a signature with %s', async (_name, mangle) => {
    const ts = now();
    const signed = body();
    refusedWith(
      await postToSlackEndpoint(bot.baseUrl, signed, { timestamp: ts, signature: mangle(slackSignature(signed, ts)) }),
      401,
      'slack.bad_signature_format',
    );
  });

  it('refuses a command from another workspace or another app, and counts the refusals', async () => {
    const foreignTeam = commandBody({ text: 'open P1 from elsewhere', response_url: bot.slack.responseUrl('ft') }).replace(
      'team_id=T0TEAM',
      'team_id=T0OTHER',
    );
    refusedWith(await postToSlackEndpoint(bot.baseUrl, foreignTeam), 403, 'slack.foreign_team');
    const foreignApp = commandBody({ text: 'open P1 from another app', response_url: bot.slack.responseUrl('fa') }).replace(
      'api_app_id=A0APP',
      'api_app_id=A0OTHER',
    );
    refusedWith(await postToSlackEndpoint(bot.baseUrl, foreignApp), 403, 'slack.foreign_app');
    const metrics = await (await fetch(`${bot.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/incident_bot_slack_requests_refused_total\{reason="slack.foreign_team"\} [1-9]/);
    expect(metrics).toMatch(/incident_bot_slack_requests_refused_total\{reason="slack.foreign_app"\} [1-9]/);
    expect((await bot.api('/api/incidents?status=all')).json.incidents).toEqual([]);
  });

  it('refuses a click from someone in another workspace', async () => {
    const payload = blockActionPayload({ actionId: 'acknowledge', value: 'INC-20260101-001', responseUrl: bot.slack.responseUrl('fc') });
    refusedWith(
      await postToSlackEndpoint(bot.baseUrl, interactionBody({ ...payload, team: { id: 'T0OTHER', domain: 'x' } })),
      403,
      'slack.foreign_team',
    );
  });

  it('refuses a Content-Type Slack never sends with 415', async () => {
    refusedWith(await postToSlackEndpoint(bot.baseUrl, body(), { contentType: 'text/plain' }), 415, 'slack.unsupported_media_type');
  });

  it("answers malformed payloads (a __proto__-only one among them) with a reason and a request id, never leaving them to Bolt's 3 s timer", async () => {
    for (const [raw, code] of [
      [new URLSearchParams({ payload: '{"__proto__":{}}' }).toString(), 'slack.malformed_payload'],
      [new URLSearchParams({ payload: '{not json' }).toString(), 'slack.malformed_payload'],
      [new URLSearchParams({ payload: '{"type":"block_actions"}' }).toString(), 'slack.malformed_payload'],
      [new URLSearchParams({ payload: '{"type":"something_else"}' }).toString(), 'slack.unknown_payload'],
      [new URLSearchParams({ hello: 'world' }).toString(), 'slack.unknown_payload'],
    ] as const) {
      refusedWith(await postToSlackEndpoint(bot.baseUrl, raw), 400, code);
    }
  });
});
