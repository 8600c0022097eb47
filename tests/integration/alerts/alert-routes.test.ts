import { afterAll, describe, expect, it } from 'vitest';
import type { RunningBot } from '../../support/start-bot';
import { ALERT_TOKEN, amWebhook, generic, pdEvent, pdSignature, postAlert, postPagerDuty, startAlertBot } from './alert-harness';

const bots: RunningBot[] = [];
async function start(...args: Parameters<typeof startAlertBot>): Promise<RunningBot> {
  const bot = await startAlertBot(...args);
  bots.push(bot);
  return bot;
}
afterAll(async () => {
  await Promise.all(bots.map((b) => b.stop()));
});

describe('alert routes: answers', () => {
  it('202 with the incident id for a new alert, 200 for the same alert again', async () => {
    const bot = await start();
    const first = await postAlert(bot, 'generic', generic('route-202', { signals: { error_rate: 18 } }));
    expect(first.status).toBe(202);
    expect(first.json).toMatchObject({ accepted: 1, incidents: [expect.stringMatching(/^INC-\d{8}-\d{3}$/)], duplicate: false });
    expect(first.json.opened).toEqual(first.json.incidents);
    const again = await postAlert(bot, 'generic', generic('route-202', { signals: { error_rate: 18 } }));
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ duplicate: true, incidents: first.json.incidents, opened: [] });
  });

  it('400 naming the bad field, also for invalid JSON; never 500', async () => {
    const bot = await start();
    const badSignal = await postAlert(bot, 'generic', generic('bad', { signals: { error_rate: 'lots' } }));
    expect(badSignal.status).toBe(400);
    expect(badSignal.json.error).toBe('invalid_payload');
    expect(badSignal.json.reason).toContain('signals.error_rate');

    const unknownSignal = await postAlert(bot, 'generic', generic('bad', { signals: { errror_rate: 5 } }));
    expect(unknownSignal.status).toBe(400);
    expect(unknownSignal.json.reason).toContain('errror_rate');

    const amNoGroup = amWebhook('g', [{ fingerprint: 'a' }]) as Record<string, unknown>;
    delete amNoGroup.groupKey;
    const am = await postAlert(bot, 'alertmanager', amNoGroup);
    expect(am.status).toBe(400);
    expect(am.json.reason).toContain('groupKey');

    const amBadStatus = amWebhook('g', [{ fingerprint: 'a' }]);
    (amBadStatus.alerts[0] as any).status = 'burning';
    const bad = await postAlert(bot, 'alertmanager', amBadStatus);
    expect(bad.status).toBe(400);
    expect(bad.json.reason).toContain('alerts[0].status');

    for (const raw of ['{"dedup_key": ', 'not json at all', '']) {
      const res = await postAlert(bot, 'generic', raw);
      expect(res.status, raw).toBe(400);
      expect(res.json.error).toBe('invalid_json');
    }
    const pdRaw = '{"event": ';
    const pd = await postAlert(bot, 'pagerduty', pdRaw, { headers: { 'x-pagerduty-signature': pdSignature(pdRaw) } });
    expect(pd.status).toBe(400);
    const pdShape = await postPagerDuty(bot, {
      event: {
        id: 'E1',
        event_type: 'incident.triggered',
        resource_type: 'incident',
        occurred_at: new Date().toISOString(),
        data: { id: 'Q1' },
      },
    });
    expect(pdShape.status).toBe(400);
    expect(pdShape.json.reason).toMatch(/event\.data\.(type|title|status|service)/);
    expect((await bot.api('/api/incidents?status=all')).json.incidents).toEqual([]);
  });

  it('401 for a missing or wrong token, 403 when ALERT_WEBHOOK_TOKEN is unset', async () => {
    const bot = await start();
    for (const token of [null, 'wrong-token', `${ALERT_TOKEN}x`, ALERT_TOKEN.slice(0, -1)]) {
      for (const kind of ['generic', 'alertmanager'] as const) {
        const res = await postAlert(bot, kind, kind === 'generic' ? generic('auth') : amWebhook('auth', [{ fingerprint: 'a' }]), { token });
        expect(res.status, `${kind} ${token}`).toBe(401);
        expect(res.json.error).toBe('unauthorized');
      }
    }
    const off = await start({ env: { ALERT_WEBHOOK_TOKEN: '' } });
    const refused = await postAlert(off, 'generic', generic('off'), { token: 'anything' });
    expect(refused.status).toBe(403);
    expect(refused.json.reason).toContain('alerts disabled: set ALERT_WEBHOOK_TOKEN');
    expect((await bot.api('/api/incidents?status=all')).json.incidents).toEqual([]);
  });

  it('PagerDuty: 401 for a missing, wrong or other-secret signature; 202 for a rotated secret among several; 403 without a secret', async () => {
    const bot = await start();
    const body = JSON.stringify(pdEvent({ incidentId: 'QSIG1' }));
    for (const signature of [undefined, 'v1=deadbeef', pdSignature(body, 'other-secret'), pdSignature(`${body} `)]) {
      const res = await postAlert(bot, 'pagerduty', body, { headers: signature ? { 'x-pagerduty-signature': signature } : {} });
      expect(res.status, String(signature)).toBe(401);
      expect(res.json.error).toBe('bad_signature');
    }
    const rotated = await postAlert(bot, 'pagerduty', body, {
      headers: { 'x-pagerduty-signature': `${pdSignature(body, 'old-secret')},${pdSignature(body)}` },
    });
    expect(rotated.status).toBe(202);
    const ignored = await postPagerDuty(bot, pdEvent({ incidentId: 'QSIG2', type: 'incident.annotated' }));
    expect(ignored.status).toBe(202);
    expect(ignored.json).toMatchObject({ incidents: [], accepted: 0, ignored: expect.stringContaining('incident.annotated') });

    const off = await start({ env: { PAGERDUTY_WEBHOOK_SECRET: '' } });
    const refused = await postAlert(off, 'pagerduty', body, { headers: { 'x-pagerduty-signature': pdSignature(body) } });
    expect(refused.status).toBe(403);
    expect(refused.json.reason).toContain('PAGERDUTY_WEBHOOK_SECRET');
  });

  it('413 over alerts.max_body_bytes, before parsing; under the limit is parsed', async () => {
    const bot = await start({ file: { alerts: { max_body_bytes: 4096 } } });
    const big = JSON.stringify(generic('big', { description: 'x'.repeat(5000) }));
    const res = await postAlert(bot, 'generic', big);
    expect(res.status).toBe(413);
    expect(res.json.reason).toContain('4096');
    // Invalid JSON above the limit is still 413: the size is checked before anything is parsed.
    expect((await postAlert(bot, 'generic', `{${'x'.repeat(5000)}`)).status).toBe(413);
    const pdBig = JSON.stringify({ pad: 'x'.repeat(5000) });
    expect((await postAlert(bot, 'pagerduty', pdBig, { headers: { 'x-pagerduty-signature': pdSignature(pdBig) } })).status).toBe(413);
    expect((await postAlert(bot, 'generic', generic('small', { description: 'x'.repeat(3000) }))).status).toBe(202);
  });

  it('the default limit is 1 MiB', async () => {
    const bot = await start();
    const res = await postAlert(bot, 'generic', JSON.stringify(generic('huge', { description: 'x'.repeat(1_048_577) })));
    expect(res.status).toBe(413);
  });

  it('503 with Retry-After when Redis does not answer', async () => {
    const bot = await start({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    const res = await postAlert(bot, 'generic', generic('no-redis'));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.json.error).toBe('unavailable');
    const pd = await postPagerDuty(bot, pdEvent({ incidentId: 'QDOWN' }));
    expect(pd.status).toBe(503);
    // Bad input is still 400, not 503: nothing needs Redis to refuse it.
    expect((await postAlert(bot, 'generic', '{')).status).toBe(400);
  });

  it('counts every alert in /metrics by source and outcome', async () => {
    const bot = await start();
    await postAlert(bot, 'generic', generic('metric'));
    await postAlert(bot, 'generic', generic('metric'));
    await postAlert(bot, 'generic', generic('metric'), { token: 'nope' });
    const text = await (await fetch(`${bot.baseUrl}/metrics`)).text();
    expect(text).toMatch(/incident_bot_alerts_received_total\{source="generic",outcome="accepted"\} 1/);
    expect(text).toMatch(/incident_bot_alerts_received_total\{source="generic",outcome="duplicate"\} 1/);
    expect(text).toMatch(/incident_bot_alerts_received_total\{source="generic",outcome="unauthorized"\} 1/);
  });
});
