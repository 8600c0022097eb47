import { afterAll, describe, expect, it } from 'vitest';
import { ACTIONS, SHORTCUTS, INPUTS, VIEWS } from '../../../src/adapters/outbound/slack/ids';
import { SlackStandIn } from '../../support/slack-stand-in';
import { interactionBody, postToSlackEndpoint } from '../../support/slack-requests';
import { startBot, waitFor, type RunningBot } from '../../support/start-bot';

const running: RunningBot[] = [];
afterAll(async () => {
  for (const b of running) await b.stop().catch(() => undefined);
});
const start = async (...args: Parameters<typeof startBot>) => {
  const b = await startBot(...args);
  running.push(b);
  return b;
};

describe('restart keeps everything', () => {
  it('a restarted bot sees the incident, its timeline and its announcement, and keeps counting ids', async () => {
    const slack = await new SlackStandIn().start();
    const first = await start({ slack });
    const opened = await first.command('open P1 before restart');
    const id = /INC-\d{8}-\d{3}/.exec((await waitFor(() => first.replies(opened.responseId)[0], 'reply')).text)![0];
    await first.command(`note ${id} written before the restart`);
    await waitFor(async () => (await first.api(`/api/incidents/${id}`)).json.timeline.length === 2, 'note stored');
    await first.stop({ cleanup: false });

    const second = await start({ slack, prefix: first.prefix });
    const detail = (await second.api(`/api/incidents/${id}`)).json;
    expect(detail).toMatchObject({ id, title: 'before restart', status: 'investigating' });
    expect(detail.timeline.map((e: any) => e.text)).toContain('written before the restart');
    expect(detail.slack.announcement).toBeTruthy();
    await second.click(ACTIONS.acknowledge, id, 'U0BOB');
    await waitFor(async () => (await second.api(`/api/incidents/${id}`)).json.acknowledgedBy === 'U0BOB', 'acknowledged after restart');
    const next = await second.command('open P3 after restart');
    const nextId = /INC-\d{8}-(\d{3})/.exec((await waitFor(() => second.replies(next.responseId)[0], 'reply')).text)![1];
    expect(Number(nextId)).toBe(Number(id.slice(-3)) + 1);
  });

  it('an announcement Slack refused is posted by the next start, once', async () => {
    const slack = await new SlackStandIn().start();
    const first = await start({ slack });
    slack.fail('chat.postMessage', 'channel_not_found', 1);
    const opened = await first.command('open P2 announcement lost');
    const reply = await waitFor(() => first.replies(opened.responseId)[0], 'reply');
    // The incident is stored, and the person is told, briefly, what went wrong.
    expect(reply.text).toMatch(/INC-\d{8}-\d{3}.*announcement could not be posted: the channel was not found/);
    const id = /INC-\d{8}-\d{3}/.exec(reply.text)![0];
    expect((await first.api(`/api/incidents/${id}`)).json.slack.announcement).toBeNull();
    expect(first.logs.join('')).toContain('chat.postMessage');
    await first.stop({ cleanup: false });

    const before = slack.callsTo('chat.postMessage').length;
    const second = await start({ slack, prefix: first.prefix });
    await waitFor(async () => (await second.api(`/api/incidents/${id}`)).json.slack.announcement, 'announced at start');
    const third = await start({ slack, prefix: first.prefix });
    await new Promise((r) => setTimeout(r, 300));
    expect(slack.callsTo('chat.postMessage').length - before).toBe(1);
    expect((await third.api('/api/incidents')).json.incidents).toHaveLength(1);
  });
});

describe('an announcement Slack posted but answered with an error', () => {
  it('is found in the channel and adopted by the next start, not posted twice', async () => {
    const slack = await new SlackStandIn().start();
    const first = await start({ slack });
    // A first announcement teaches the bot the channel's id (the config names it #incident-response).
    const earlier = await first.command('open P3 warm up');
    await waitFor(() => first.replies(earlier.responseId)[0], 'first reply');
    slack.fail('chat.postMessage', 'internal_error', 1, { landed: true });
    const opened = await first.command('open P2 posted but the reply was lost');
    const reply = await waitFor(() => first.replies(opened.responseId)[0], 'reply');
    const id = /INC-\d{8}-\d{3}/.exec(reply.text)![0];
    expect((await first.api(`/api/incidents/${id}`)).json.slack.announcement).toBeNull();
    await first.stop({ cleanup: false });

    const second = await start({ slack, prefix: first.prefix });
    const adopted = await waitFor(
      async () => (await second.api(`/api/incidents/${id}`)).json.slack.announcement,
      'announcement adopted at start',
    );
    const announcements = slack.messages.filter(
      (m) => m.metadata?.event_type === 'incident_announcement' && m.metadata.event_payload.incident_id === id,
    );
    expect(announcements).toHaveLength(1);
    expect(adopted).toMatchObject({ channel: 'C0INCIDENT', ts: announcements[0]!.ts });
    expect(String(slack.callsTo('conversations.history')[0]!.args.include_all_metadata)).toBe('true');
    // Then drawn from the stored state, in place.
    await waitFor(() => slack.callsTo('chat.update').find((c) => c.args.ts === announcements[0]!.ts), 'the adopted announcement redrawn');
    expect(second.logs.join('')).toContain('found the announcement an earlier try posted');
  });
});

describe('Slack answering 5xx to an announcement', () => {
  const fast = { services: [{ name: 'checkout' }], channels: { announcement_retry: '300ms' } };

  it('a 500 before Slack acted: the bot tries again by itself (no restart), and it is posted once', async () => {
    const bot = await start({ file: fast });
    const warm = await bot.command('open P3 warm up');
    await waitFor(() => bot.replies(warm.responseId)[0], 'first reply');
    bot.slack.fail('chat.postMessage', 'internal_error', 1, { status: 500 });
    const opened = await bot.command('open P2 slack had a bad second');
    const reply = await waitFor(() => bot.replies(opened.responseId)[0], 'reply');
    expect(reply.text).toMatch(/announcement could not be posted: .*; it is tried again every \S+\./);
    const id = /INC-\d{8}-\d{3}/.exec(reply.text)![0];
    await waitFor(async () => (await bot.api(`/api/incidents/${id}`)).json.slack.announcement, 'posted on retry', 5_000);
    const mine = bot.slack.messages.filter((m) => m.metadata?.event_payload.incident_id === id);
    expect(mine).toHaveLength(1);
  });

  it('a 500 after Slack acted: not re-sent by the client, found in the channel and adopted: one message', async () => {
    const bot = await start({ file: fast });
    const warm = await bot.command('open P3 warm up');
    await waitFor(() => bot.replies(warm.responseId)[0], 'first reply');
    bot.slack.fail('chat.postMessage', 'internal_error', 1, { status: 500, landed: true });
    const opened = await bot.command('open P2 slack acted then failed');
    const id = /INC-\d{8}-\d{3}/.exec((await waitFor(() => bot.replies(opened.responseId)[0], 'reply')).text)![0];
    const adopted = await waitFor(async () => (await bot.api(`/api/incidents/${id}`)).json.slack.announcement, 'adopted on retry', 5_000);
    const mine = bot.slack.messages.filter((m) => m.metadata?.event_payload.incident_id === id);
    expect(mine).toHaveLength(1);
    expect(adopted.ts).toBe(mine[0]!.ts);
    // One post call for it: the client did not repeat the post after the 500.
    expect(bot.slack.callsTo('chat.postMessage').filter((c) => c.args.metadata?.event_payload?.incident_id === id)).toHaveLength(1);
  });
});

describe('read API, health and metrics', () => {
  it('answers with the right codes and shapes', async () => {
    const bot = await start();
    expect((await bot.api('/api/incidents', null)).status).toBe(401);
    expect((await bot.api('/api/incidents', 'wrong-token')).status).toBe(401);
    expect((await bot.api('/api/incidents/banana')).status).toBe(400);
    expect((await bot.api('/api/incidents/INC-19990101-001')).status).toBe(404);
    expect((await bot.api('/api/incidents?status=weird')).status).toBe(400);
    const opened = await bot.command('open P0 api check');
    const id = /INC-\d{8}-\d{3}/.exec((await waitFor(() => bot.replies(opened.responseId)[0], 'reply')).text)![0];
    const detail = await bot.api(`/api/incidents/${id.toLowerCase()}`);
    expect(detail.status).toBe(200);
    expect(detail.json).toMatchObject({
      id,
      status: 'investigating',
      severity: 'P0',
      commander: null,
      service: null,
      createdAt: expect.any(String),
      acknowledgedAt: null,
      resolvedAt: null,
    });
    expect(detail.json.sla.clocks.map((c: any) => c.name)).toEqual(['first_response', 'next_update', 'resolution']);
    expect(Date.parse(detail.json.sla.clocks[0].dueAt) - Date.parse(detail.json.createdAt)).toBe(5 * 60_000);
    expect(detail.json.sla.escalations.map((e: any) => e.level)).toEqual([2, 3]);
    expect(detail.json.timeline[0]).toMatchObject({ kind: 'opened', actor: 'U0ALICE', at: expect.any(String) });

    const second = await bot.command('open P3 second for the limit');
    await waitFor(() => bot.replies(second.responseId)[0], 'second opened');
    expect((await bot.api('/api/incidents')).json.incidents).toHaveLength(2);
    expect((await bot.api('/api/incidents?limit=1')).json.incidents.map((i: any) => i.id)).toEqual([id]);
    expect((await bot.api('/api/incidents?limit=0')).status).toBe(400);

    expect((await fetch(`${bot.baseUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${bot.baseUrl}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${bot.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/incident_bot_incidents_opened_total\{severity="P0",source="slack"\} 1/);
    expect(metrics).toMatch(/incident_bot_incidents_opened_total\{severity="P3",source="slack"\} 1/);
  });

  it('the read API is off without API_TOKEN', async () => {
    const bot = await start({ env: { API_TOKEN: '' } });
    const res = await fetch(`${bot.baseUrl}/api/incidents`, { headers: { authorization: 'Bearer anything' } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as any).reason).toContain('set API_TOKEN');
  });

  it('readyz fails while Redis is unreachable, healthz does not', async () => {
    const bot = await start({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    expect((await fetch(`${bot.baseUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${bot.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as any).status).toBe('not ready');
  });
});

describe('shortcut, App Home, Slack errors', () => {
  it('"Add to incident timeline" opens a picker and adds the message with its author', async () => {
    const bot = await start();
    const opened = await bot.command('open P2 shortcut target');
    const id = /INC-\d{8}-\d{3}/.exec((await waitFor(() => bot.replies(opened.responseId)[0], 'reply')).text)![0];
    const shortcut = {
      type: 'message_action',
      callback_id: SHORTCUTS.addToTimeline,
      trigger_id: 'trig-shortcut',
      team: { id: 'T0TEAM' },
      api_app_id: 'A0APP',
      user: { id: 'U0BOB', name: 'bob' },
      channel: { id: 'C0GENERAL', name: 'general' },
      message_ts: '1700000000.000100',
      message: { type: 'message', user: 'U0CAROL', ts: '1700000000.000100', text: 'p99 jumped at 10:02' },
      response_url: bot.slack.responseUrl('sc'),
    };
    expect((await postToSlackEndpoint(bot.baseUrl, interactionBody(shortcut))).status).toBe(200);
    const call = await waitFor(() => bot.slack.callsTo('views.open')[0], 'modal');
    expect(call.args.view.callback_id).toBe(VIEWS.addToTimeline);
    expect(JSON.stringify(call.args.view)).toContain(id);
    const submitted = await bot.submitView(
      VIEWS.addToTimeline,
      { [INPUTS.incident.block]: { [INPUTS.incident.action]: { type: 'static_select', selected_option: { value: id } } } },
      { privateMetadata: call.args.view.private_metadata, user: 'U0BOB' },
    );
    expect(submitted.status).toBe(200);
    const entry = await waitFor(
      async () => (await bot.api(`/api/incidents/${id}`)).json.timeline.find((e: any) => e.kind === 'note'),
      'note',
    );
    expect(entry).toMatchObject({
      actor: 'U0BOB',
      text: 'Message from <@U0CAROL>: p99 jumped at 10:02',
      details: { channel: 'C0GENERAL', ts: '1700000000.000100', author: 'U0CAROL' },
    });
  });

  it('App Home lists open incidents most severe first', async () => {
    const bot = await start();
    for (const text of ['open P3 minor thing', 'open P0 total outage']) {
      const res = await bot.command(text);
      await waitFor(() => bot.replies(res.responseId)[0], 'opened');
    }
    await waitFor(async () => (await bot.api('/api/incidents')).json.incidents.length === 2, 'two open');
    const event = {
      token: 't',
      team_id: 'T0TEAM',
      api_app_id: 'A0APP',
      type: 'event_callback',
      event_id: 'Ev1',
      event_time: 1,
      event: { type: 'app_home_opened', user: 'U0ALICE', channel: 'D0', tab: 'home' },
    };
    const res = await postToSlackEndpoint(bot.baseUrl, JSON.stringify(event), { contentType: 'application/json' });
    expect(res.status).toBe(200);
    const publish = await waitFor(() => bot.slack.callsTo('views.publish')[0], 'views.publish');
    expect(publish.args.user_id).toBe('U0ALICE');
    const text = JSON.stringify(publish.args.view);
    expect(text.indexOf('total outage')).toBeGreaterThan(0);
    expect(text.indexOf('total outage')).toBeLessThan(text.indexOf('minor thing'));
  });

  it('a failing Slack call is logged with its method and shown as a short ephemeral', async () => {
    const bot = await start();
    const opened = await bot.command('open P1 will not update');
    const id = /INC-\d{8}-\d{3}/.exec((await waitFor(() => bot.replies(opened.responseId)[0], 'reply')).text)![0];
    bot.slack.fail('chat.update', 'is_archived', 5);
    const click = await bot.click(ACTIONS.acknowledge, id, 'U0BOB');
    const reply = await waitFor(() => bot.replies(click.responseId)[0], 'ephemeral');
    expect(reply).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(reply.text).toContain('The announcement could not be updated: the channel is archived');
    expect((await bot.api(`/api/incidents/${id}`)).json.acknowledgedBy).toBe('U0BOB');
    expect(bot.logs.join('')).toMatch(/"method":"chat.update".*"error":"is_archived"/);
  });
});

describe('Redis durability check', () => {
  it('warns at start when Redis would lose or evict incidents (the test Redis keeps nothing on disk)', async () => {
    const { createTestRedis } = await import('../../support/test-redis');
    const { redis, cleanup } = await createTestRedis('config');
    const [, appendonly] = (await redis.config('GET', 'appendonly')) as string[];
    const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as string[];
    await cleanup();
    const bot = await start();
    await waitFor(() => bot.logs.some((l) => l.includes('maxmemory-policy') || l.includes('appendonly')), 'config warning', 3000).catch(
      () => undefined,
    );
    const logs = bot.logs.join('');
    expect(logs.includes('appendonly off')).toBe(appendonly !== 'yes');
    expect(logs.includes('maxmemory-policy is')).toBe(policy !== 'noeviction');
  });
});
