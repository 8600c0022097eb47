import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMULATED_METHODS, SlackWebApi } from '../../../src/sandbox/slack-emulator/slack-web-api';
import { TriggerIds } from '../../../src/sandbox/slack-emulator/trigger-ids';
import { Workspace } from '../../../src/sandbox/slack-emulator/workspace';

const TOKEN = 'xoxb-unit';

function emulator(now = () => Date.now()) {
  const workspace = new Workspace(now);
  const triggers = new TriggerIds(3000, now);
  const api = new SlackWebApi(workspace, triggers, TOKEN, now);
  const call = (method: string, args: Record<string, unknown> = {}) => api.call(method, args, `Bearer ${TOKEN}`);
  return { workspace, triggers, api, call };
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? e.name === 'sandbox'
        ? []
        : sources(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [readFileSync(join(dir, e.name), 'utf8')]
        : [],
  );
}

describe('the Slack emulator implements exactly the Web API methods the bot calls', () => {
  it('matches the methods found in the bot’s code (as the manifest test derives them) and their scopes in manifest.yml', () => {
    const code = sources('src').join('\n');
    // Web API families called through the bot's Slack clients (`client`, and `poster`, the one that never retries).
    const families =
      'auth|bots|chat|conversations|views|usergroups|users|files|reactions|pins|bookmarks|reminders|team|apps|dnd|emoji|search';
    const called = new Set(
      [...code.matchAll(new RegExp(`\\b(?:client|poster)\\.((?:${families})\\.\\w+(?:\\.\\w+)*)\\(`, 'g'))].map((m) => m[1]!),
    );
    // Bolt itself calls auth.test to learn the bot's own ids.
    called.add('auth.test');
    // files.uploadV2 is the client's helper over two Web API methods (and a POST to the upload URL between them).
    if (called.delete('files.uploadV2')) for (const m of ['files.getUploadURLExternal', 'files.completeUploadExternal']) called.add(m);
    expect([...EMULATED_METHODS].sort()).toEqual([...called].sort());
    const manifest = readFileSync('manifest.yml', 'utf8');
    for (const scope of ['chat:write', 'channels:manage', 'channels:history', 'usergroups:read', 'files:write'])
      expect(manifest).toContain(scope);
  });

  it('answers unknown_method for anything else, naming the methods it has', () => {
    const { call } = emulator();
    const answer = call('users.list');
    expect(answer.body).toMatchObject({ ok: false, error: 'unknown_method' });
  });

  it('refuses a missing or wrong token like Slack (not_authed, invalid_auth)', () => {
    const { api } = emulator();
    expect(api.call('auth.test', {}, undefined).body.error).toBe('not_authed');
    expect(api.call('auth.test', {}, 'Bearer xoxb-other').body.error).toBe('invalid_auth');
  });
});

describe('Slack’s error answers', () => {
  it('invalid_blocks past Block Kit limits, each problem named with a JSON pointer, and recorded as refused', () => {
    const { call, workspace } = emulator();
    const blocks = [
      { type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } },
      { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } },
      { type: 'actions', elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'b'.repeat(76) } }] },
    ];
    const answer = call('chat.postMessage', { channel: 'C0INCIDENTS', text: 't', blocks: JSON.stringify(blocks) });
    expect(answer.body.ok).toBe(false);
    expect(answer.body.error).toBe('invalid_blocks');
    expect(answer.body.errors).toEqual([
      'must be less than 3001 characters [json-pointer:/blocks/0/text/text]',
      'must be less than 151 characters [json-pointer:/blocks/1/text/text]',
      'must be less than 76 characters [json-pointer:/blocks/2/elements/0/text/text]',
    ]);
    expect(workspace.refusals.at(-1)).toMatchObject({ method: 'chat.postMessage', error: 'invalid_blocks' });
    expect(workspace.messages).toHaveLength(0);
  });

  it('invalid_blocks for more than 50 blocks in a message and for an unknown block type', () => {
    const { call } = emulator();
    const many = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    expect(call('chat.postMessage', { channel: 'C0INCIDENTS', blocks: many }).body.errors).toEqual([
      'must be less than 51 items [json-pointer:/blocks]',
    ]);
    expect(call('chat.postMessage', { channel: 'C0INCIDENTS', blocks: [{ type: 'table' }] }).body.errors).toEqual([
      'unsupported type: table [json-pointer:/blocks/0/type]',
    ]);
  });

  it('invalid_arguments for a modal whose title is longer than 24 characters', () => {
    const { call, triggers } = emulator();
    const trigger = triggers.issue('U0ONCALL');
    const answer = call('views.open', {
      trigger_id: trigger,
      view: JSON.stringify({ type: 'modal', title: { type: 'plain_text', text: 'x'.repeat(25) }, blocks: [] }),
    });
    expect(answer.body).toMatchObject({
      ok: false,
      error: 'invalid_arguments',
      response_metadata: { messages: ['[ERROR] must be less than 25 characters [json-pointer:/view/title/text]'] },
    });
  });

  it('views.open needs a fresh trigger_id, used once', () => {
    let now = 1_000_000;
    const { call, triggers } = emulator(() => now);
    const view = JSON.stringify({ type: 'modal', title: { type: 'plain_text', text: 'Form' }, blocks: [] });
    expect(call('views.open', { trigger_id: 'made-up', view }).body.error).toBe('invalid_trigger_id');
    const trigger = triggers.issue('U0ONCALL');
    expect(call('views.open', { trigger_id: trigger, view }).body.ok).toBe(true);
    expect(call('views.open', { trigger_id: trigger, view }).body.error).toBe('trigger_exchanged');
    const late = triggers.issue('U0ONCALL');
    now += 3001;
    expect(call('views.open', { trigger_id: late, view }).body.error).toBe('expired_trigger_id');
  });

  it('name_taken for an existing channel name, invalid_name_specials for a bad one', () => {
    const { call } = emulator();
    expect(call('conversations.create', { name: 'incident-response' }).body.error).toBe('name_taken');
    expect(call('conversations.create', { name: 'Inc 1' }).body.error).toBe('invalid_name_specials');
    const created = call('conversations.create', { name: 'inc-20261121-001-checkout', is_private: 'false' });
    expect(created.body).toMatchObject({ ok: true, channel: { name: 'inc-20261121-001-checkout', is_member: true } });
    expect(call('conversations.create', { name: 'inc-20261121-001-checkout' }).body.error).toBe('name_taken');
  });

  it('not_in_channel: reading a channel the bot is not in, or writing to a private one', () => {
    const { call, workspace } = emulator();
    expect(call('conversations.history', { channel: 'C0GENERAL' }).body.error).toBe('not_in_channel');
    // Public: chat:write.public lets the bot post without being a member.
    expect(call('chat.postMessage', { channel: 'C0GENERAL', text: 'hi' }).body.ok).toBe(true);
    const secret = workspace.createChannel('secret', true, 'U0ONCALL');
    expect(call('chat.postMessage', { channel: secret.id, text: 'hi' }).body.error).toBe('not_in_channel');
    expect(call('conversations.invite', { channel: secret.id, users: 'U0DEV' }).body.error).toBe('not_in_channel');
  });

  it('chat.update of a message that is not there, and postEphemeral to someone outside the channel', () => {
    const { call } = emulator();
    expect(call('chat.update', { channel: 'C0INCIDENTS', ts: '1.000001', text: 'x' }).body.error).toBe('message_not_found');
    expect(call('chat.postEphemeral', { channel: 'C0GENERAL', user: 'U0GUEST', text: 'x' }).body.error).toBe('user_not_in_channel');
    expect(call('chat.postMessage', { channel: 'C0NOPE', text: 'x' }).body.error).toBe('channel_not_found');
    expect(call('chat.postMessage', { channel: 'C0INCIDENTS' }).body.error).toBe('no_text');
  });

  it('ratelimited with Retry-After: Tier 2 allows 20 calls a minute', () => {
    let now = 5_000_000;
    const { call } = emulator(() => now);
    const create = (i: number) => call('conversations.create', { name: `inc-${i}` });
    for (let i = 0; i < 20; i++) expect(create(i).status).toBe(200);
    now += 15_000;
    const limited = create(99);
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ ok: false, error: 'ratelimited' });
    expect(limited.headers).toEqual({ 'retry-after': '45' });
    now += 45_000;
    expect(create(100).status).toBe(200);
  });

  it('ratelimited for chat.postMessage at about one per second per channel after a short burst; other channels unaffected', () => {
    let now = 9_000_000;
    const { call } = emulator(() => now);
    for (let i = 0; i < 5; i++) expect(call('chat.postMessage', { channel: 'C0INCIDENTS', text: `m${i}` }).status).toBe(200);
    const limited = call('chat.postMessage', { channel: 'C0INCIDENTS', text: 'too many' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers?.['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(call('chat.postMessage', { channel: 'C0GENERAL', text: 'elsewhere' }).status).toBe(200);
    now += 5000;
    expect(call('chat.postMessage', { channel: 'C0INCIDENTS', text: 'later' }).status).toBe(200);
  });

  it('history is newest first with metadata only when asked; replies are parent first', () => {
    const { call } = emulator();
    const parent = call('chat.postMessage', {
      channel: 'C0INCIDENTS',
      text: 'announcement',
      metadata: JSON.stringify({ event_type: 'incident', event_payload: { id: 'INC-1' } }),
    }).body;
    call('chat.postMessage', { channel: 'C0INCIDENTS', text: 'reply', thread_ts: parent.ts });
    call('chat.postMessage', { channel: 'C0INCIDENTS', text: 'second' });
    const history = call('conversations.history', { channel: 'C0INCIDENTS', include_all_metadata: 'true' }).body;
    expect(history.messages.map((m: any) => m.text)).toEqual(['second', 'announcement']);
    expect(history.messages[1].metadata).toEqual({ event_type: 'incident', event_payload: { id: 'INC-1' } });
    expect(call('conversations.history', { channel: 'C0INCIDENTS' }).body.messages[1].metadata).toBeUndefined();
    expect(call('conversations.replies', { channel: 'C0INCIDENTS', ts: parent.ts }).body.messages.map((m: any) => m.text)).toEqual([
      'announcement',
      'reply',
    ]);
  });
});

describe('channel topic and bookmarks', () => {
  it('sets the topic and adds a link bookmark in a channel the bot is in; not_in_channel and too_long otherwise', () => {
    const { call, workspace } = emulator();
    expect(call('conversations.setTopic', { channel: 'C0INCIDENTS', topic: 'P1 checkout' }).body.ok).toBe(true);
    expect(workspace.channel('C0INCIDENTS')?.topic).toBe('P1 checkout');
    expect(call('conversations.setTopic', { channel: 'C0INCIDENTS', topic: 'x'.repeat(251) }).body.error).toBe('too_long');
    expect(call('conversations.setTopic', { channel: 'C0GENERAL', topic: 't' }).body.error).toBe('not_in_channel');
    expect(
      call('bookmarks.add', { channel_id: 'C0INCIDENTS', title: 'Issue', type: 'link', link: 'https://github.sandbox/i/1' }).body.ok,
    ).toBe(true);
    expect(call('bookmarks.add', { channel_id: 'C0INCIDENTS', title: 'Issue', type: 'link', link: 'not a link' }).body.error).toBe(
      'invalid_link',
    );
  });

  it('moves a bookmark with bookmarks.edit; one removed by a person is not_found', () => {
    const { call, workspace } = emulator();
    const added = call('bookmarks.add', { channel_id: 'C0INCIDENTS', title: 'Incident report', type: 'link', link: 'https://a.example/1' });
    const id = added.body.bookmark.id;
    const moved = call('bookmarks.edit', { channel_id: 'C0INCIDENTS', bookmark_id: id, link: 'https://a.example/2' });
    expect(moved.body).toMatchObject({ ok: true, bookmark: { id, title: 'Incident report', link: 'https://a.example/2' } });
    expect(workspace.channel('C0INCIDENTS')?.bookmarks).toEqual([{ id, title: 'Incident report', link: 'https://a.example/2' }]);
    workspace.channel('C0INCIDENTS')!.bookmarks = [];
    expect(call('bookmarks.edit', { channel_id: 'C0INCIDENTS', bookmark_id: id, link: 'https://a.example/3' }).body.error).toBe(
      'not_found',
    );
    expect(call('bookmarks.edit', { channel_id: 'C0NOPE', bookmark_id: id }).body.error).toBe('channel_not_found');
  });

  it("gives a message's permalink like Slack's (ts without the dot); message_not_found and channel_not_found otherwise", () => {
    const { call } = emulator();
    const { ts, channel } = call('chat.postMessage', { channel: 'C0INCIDENTS', text: 'report' }).body;
    expect(call('chat.getPermalink', { channel, message_ts: ts }).body).toEqual({
      ok: true,
      channel,
      permalink: `https://sandbox.slack.com/archives/${channel}/p${ts.replace('.', '')}`,
    });
    expect(call('chat.getPermalink', { channel, message_ts: '1.000001' }).body.error).toBe('message_not_found');
    expect(call('chat.getPermalink', { channel: 'C0NOPE', message_ts: ts }).body.error).toBe('channel_not_found');
  });
});

describe('channel members and private channels', () => {
  it('conversations.invite adds the people and tells who was added (member_joined_channel goes to the bot from there)', () => {
    const { api, call, workspace } = emulator();
    const heard: [string, string[], string][] = [];
    api.onJoined = (channel, users, inviter) => heard.push([channel, users, inviter]);
    const created = call('conversations.create', { name: 'inc-20261201-001-private', is_private: true }).body as any;
    expect(call('conversations.invite', { channel: created.channel.id, users: 'U0ONCALL,U0DEV' }).body.ok).toBe(true);
    expect(workspace.channel(created.channel.id)!.members).toEqual(['U0BOT', 'U0ONCALL', 'U0DEV']);
    expect(heard).toEqual([[created.channel.id, ['U0ONCALL', 'U0DEV'], 'U0BOT']]);
    // A refused invite adds nobody and tells nothing.
    expect(call('conversations.invite', { channel: created.channel.id, users: 'U0DEV' }).body.error).toBe('already_in_channel');
    expect(heard).toHaveLength(1);
  });

  it('conversations.list gives private channels only when asked for, and only those the bot is in, with their creator', () => {
    const { call, workspace } = emulator();
    const mine = (call('conversations.create', { name: 'inc-20261201-002-private', is_private: true }).body as any).channel;
    workspace.createChannel('someone-elses-secret', true, 'U0DEV');
    const names = (types?: string) =>
      ((call('conversations.list', types ? { types } : {}).body as any).channels as any[]).map((c) => c.name);
    expect(names()).not.toContain(mine.name);
    expect(names('public_channel,private_channel')).toContain(mine.name);
    expect(names('public_channel,private_channel')).not.toContain('someone-elses-secret');
    const listed = ((call('conversations.list', { types: 'private_channel' }).body as any).channels as any[]).find(
      (c) => c.name === mine.name,
    );
    expect(listed).toMatchObject({ is_private: true, creator: 'U0BOT' });
  });
});
