import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../support/start-bot';

const TOKEN = 'test-alert-token-refusals-0123';
let bot: RunningBot;
beforeAll(async () => {
  bot = await startBot({ env: { ALERT_WEBHOOK_TOKEN: TOKEN } });
});
afterAll(async () => bot?.stop());

async function post(path: string, body: string, headers: Record<string, string>) {
  const response = await fetch(`${bot.baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, ...headers },
    body,
  });
  return { status: response.status, header: response.headers.get('x-request-id'), json: (await response.json()) as any };
}

const firing = {
  version: '4',
  status: 'firing',
  receiver: 'bot',
  groupKey: 'g',
  truncatedAlerts: 0,
  groupLabels: {},
  commonLabels: {},
  commonAnnotations: {},
  externalURL: 'http://am',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'X', service: 'checkout', severity: 'critical' },
      annotations: {},
      startsAt: '2026-12-01T00:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://p',
    },
  ],
};

describe('every refused alert request: a reason and a request id in the answer, one log line', () => {
  it.each([
    ['malformed JSON', '/alerts/generic', '{"title": ', { 'content-type': 'application/json' }, 400, 'invalid_json'],
    ['a JSON body without Content-Type', '/alerts/generic', '{"title":"x"}', {}, 415, 'unsupported_media_type'],
    [
      'a JSON body sent as a form',
      '/alerts/alertmanager',
      JSON.stringify(firing),
      { 'content-type': 'application/x-www-form-urlencoded' },
      415,
      'unsupported_media_type',
    ],
    [
      'an Alertmanager alert without fingerprint',
      '/alerts/alertmanager',
      JSON.stringify(firing),
      { 'content-type': 'application/json' },
      400,
      'invalid_payload',
    ],
  ])('%s', async (_name, path, body, headers, status, error) => {
    const res = await post(path, body, headers);
    expect(res.status).toBe(status);
    expect(res.json.error).toBe(error);
    expect(res.json.request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.header).toBe(res.json.request_id);
    const lines = bot.logs.filter((l) => l.includes(res.json.request_id));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('alert request refused');
    expect(lines[0]).not.toContain(TOKEN);
  });

  it('a wrong bearer token is refused the same way', async () => {
    const res = await post('/alerts/generic', '{}', { authorization: 'Bearer nope', 'content-type': 'application/json' });
    expect(res.status).toBe(401);
    expect(bot.logs.filter((l) => l.includes(res.json.request_id))).toHaveLength(1);
  });

  it('nothing was opened', async () => {
    expect((await bot.api('/api/incidents?status=all')).json.incidents).toEqual([]);
  });
});
