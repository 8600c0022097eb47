import { randomBytes } from 'node:crypto';
import { BOT_USER, SANDBOX_USER_GROUPS, SANDBOX_USERS, TEAM, APP_ID } from '../sandbox-people';
import { blockKitErrors, viewErrors } from './block-kit-limits';
import { METHOD_TIERS, RateLimiter, type EmulatedMethod } from './rate-limits';
import type { TriggerIds } from './trigger-ids';
import type { Message, OpenView, Workspace } from './workspace';

type Json = Record<string, any>;

export interface ApiAnswer {
  status: number;
  body: Json;
  headers?: Record<string, string>;
}

/** Exactly the Web API methods the bot calls (a unit test holds this list against the code). */
export const EMULATED_METHODS = Object.keys(METHOD_TIERS) as EmulatedMethod[];

const MAX_MESSAGE_TEXT = 40_000;
const CHANNEL_NAME = /^[a-z0-9_-]+$/;

class SlackError extends Error {
  constructor(
    readonly code: string,
    readonly detail: string[] = [],
  ) {
    super(code);
  }
}

const fail = (code: string, detail: string[] = []): never => {
  throw new SlackError(code, detail);
};

/** Slack fills in a block_id (and action_id) the app left out; clicks report them. */
export function withIds(blocks: Json[] | undefined): Json[] | undefined {
  const id = () => randomBytes(3).toString('base64url');
  return blocks?.map((b) => ({
    ...b,
    block_id: b.block_id ?? id(),
    ...(Array.isArray(b.elements) && b.type === 'actions'
      ? { elements: b.elements.map((e: Json) => ({ ...e, action_id: e.action_id ?? id() })) }
      : {}),
    ...(b.accessory ? { accessory: { ...b.accessory, action_id: b.accessory.action_id ?? id() } } : {}),
    ...(b.type === 'input' && b.element ? { element: { ...b.element, action_id: b.element.action_id ?? id() } } : {}),
  }));
}

/**
 * The Slack Web API as the bot uses it, answering like Slack: `ok: false` with Slack's error
 * codes (HTTP 200), `ratelimited` as HTTP 429 with Retry-After, and every refusal recorded
 * on the workspace so the page can show what Slack would have refused.
 */
export class SlackWebApi {
  private readonly limiter: RateLimiter;
  /** Where the sandbox server listens (`http://127.0.0.1:4000/`); upload URLs point here. */
  publicUrl = 'http://127.0.0.1/';
  /** Told when people are added to a channel (conversations.invite), so member_joined_channel reaches the bot as in Slack. */
  onJoined: (channelId: string, users: string[], inviter: string) => void = () => undefined;

  constructor(
    private readonly workspace: Workspace,
    private readonly triggers: TriggerIds,
    private readonly token: string,
    now: () => number = Date.now,
  ) {
    this.limiter = new RateLimiter(now);
  }

  call(method: string, args: Json, authorization: string | undefined): ApiAnswer {
    const token = authorization?.replace(/^Bearer\s+/i, '') || args.token;
    try {
      if (!(EMULATED_METHODS as string[]).includes(method))
        fail('unknown_method', [`the sandbox answers only the methods the bot calls: ${EMULATED_METHODS.join(', ')}`]);
      if (!token) fail('not_authed');
      if (token !== this.token) fail('invalid_auth');
      const retryAfter = this.limiter.take(
        method as EmulatedMethod,
        method === 'chat.postMessage' ? this.workspace.channel(String(args.channel ?? ''))?.id : undefined,
      );
      if (retryAfter) {
        this.workspace.refuse(method, 'ratelimited', [`Retry-After: ${retryAfter} s (${describeTier(method as EmulatedMethod)})`]);
        return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': String(retryAfter) } };
      }
      return { status: 200, body: { ok: true, ...this.answer(method as EmulatedMethod, args) } };
    } catch (error) {
      if (!(error instanceof SlackError)) throw error;
      this.workspace.refuse(method, error.code, error.detail);
      const body: Json = { ok: false, error: error.code };
      if (error.code === 'invalid_blocks') body.errors = error.detail;
      if (error.detail.length) body.response_metadata = { messages: error.detail.map((d) => `[ERROR] ${d}`) };
      return { status: 200, body };
    }
  }

  private answer(method: EmulatedMethod, args: Json): Json {
    switch (method) {
      case 'auth.test':
        return {
          url: `https://${TEAM.domain}.slack.com/`,
          team: TEAM.name,
          user: BOT_USER.name,
          team_id: TEAM.id,
          user_id: BOT_USER.id,
          bot_id: BOT_USER.botId,
          is_enterprise_install: false,
        };
      case 'bots.info':
        // The bot learns its app id from here and serves requests for that app only.
        return { bot: { id: BOT_USER.botId, app_id: APP_ID, name: BOT_USER.name, deleted: false, user_id: BOT_USER.id } };
      case 'users.info': {
        // Names for the paper trail; guests are marked as Slack marks them (never approvers).
        const person = SANDBOX_USERS.find((u) => u.id === String(args.user));
        if (!person && String(args.user) !== BOT_USER.id) fail('user_not_found', [`no user ${String(args.user)} in the sandbox`]);
        const name = person?.name ?? BOT_USER.name;
        return {
          user: {
            id: String(args.user),
            team_id: TEAM.id,
            name,
            real_name: name,
            profile: { display_name: name, real_name: name },
            deleted: false,
            is_bot: !person,
            is_restricted: Boolean(person?.guest),
            is_ultra_restricted: false,
          },
        };
      }
      case 'users.lookupByEmail': {
        // The on-call PagerDuty names is found by email and invited into the incident channel.
        const email = String(args.email ?? '').toLowerCase();
        if (!email) fail('invalid_arguments', ['email is required']);
        const person = SANDBOX_USERS.find((u) => u.email === email);
        if (!person) fail('users_not_found', [`nobody in the sandbox has the email ${email}`]);
        return {
          user: {
            id: person!.id,
            team_id: TEAM.id,
            name: person!.name,
            real_name: person!.name,
            profile: { display_name: person!.name, real_name: person!.name, email },
            deleted: false,
            is_bot: false,
            is_restricted: Boolean(person!.guest),
            is_ultra_restricted: false,
          },
        };
      }
      case 'conversations.list': {
        // Like Slack: private channels only when asked for (types=private_channel, groups:read), and only those the bot is in.
        const types = String(args.types ?? 'public_channel').split(',');
        return {
          channels: [...this.workspace.channels.values()]
            .filter((c) =>
              c.private ? types.includes('private_channel') && c.members.includes(BOT_USER.id) : types.includes('public_channel'),
            )
            .map((c) => ({
              id: c.id,
              name: c.name,
              is_channel: true,
              is_archived: false,
              is_private: c.private,
              creator: c.createdBy,
            })),
          response_metadata: { next_cursor: '' },
        };
      }
      case 'chat.postMessage':
        return this.postMessage(args);
      case 'chat.update':
        return this.update(args);
      case 'chat.postEphemeral':
        return this.postEphemeral(args);
      case 'conversations.create':
        return this.createChannel(args);
      case 'conversations.invite':
        return this.invite(args);
      case 'conversations.history':
      case 'conversations.replies':
        return this.history(method, args);
      case 'conversations.setTopic': {
        const channel = this.memberChannel(args.channel);
        const topic = String(args.topic ?? '');
        if (topic.length > 250) fail('too_long', [`the topic is ${topic.length} characters; at most 250`]);
        channel.topic = topic;
        this.workspace.changed();
        return {
          channel: {
            id: channel.id,
            name: channel.name,
            topic: { value: topic, creator: BOT_USER.id, last_set: Math.floor(Date.now() / 1000) },
          },
        };
      }
      case 'bookmarks.add': {
        const channel = this.memberChannel(args.channel_id);
        const title = String(args.title ?? '');
        if (!title) fail('invalid_arguments', ['title is required [json-pointer:/title]']);
        if (args.type !== 'link') fail('invalid_arguments', ['type must be link [json-pointer:/type]']);
        if (!/^https?:\/\//.test(String(args.link ?? ''))) fail('invalid_link', [`not a link: ${String(args.link ?? '')}`]);
        const bookmark = { id: `Bk${randomBytes(4).toString('hex').toUpperCase()}`, title, link: String(args.link) };
        (channel.bookmarks ??= []).push(bookmark);
        this.workspace.changed();
        return { bookmark: { ...bookmark, channel_id: channel.id, type: 'link', date_created: Math.floor(Date.now() / 1000) } };
      }
      case 'bookmarks.edit': {
        const channel = this.memberChannel(args.channel_id);
        const bookmark = channel.bookmarks?.find((b) => b.id === String(args.bookmark_id ?? ''));
        // Slack's answer for a bookmark a person removed.
        if (!bookmark) return fail('not_found', [`no bookmark ${String(args.bookmark_id ?? '')} in ${channel.id}`]);
        if (args.link !== undefined && !/^https?:\/\//.test(String(args.link))) fail('invalid_link', [`not a link: ${String(args.link)}`]);
        if (args.title) bookmark.title = String(args.title);
        if (args.link !== undefined) bookmark.link = String(args.link);
        this.workspace.changed();
        return { bookmark: { ...bookmark, channel_id: channel.id, type: 'link', date_updated: Math.floor(Date.now() / 1000) } };
      }
      case 'chat.getPermalink': {
        // A private channel the bot is not in is invisible to it: channel_not_found, as in Slack.
        const channel = this.workspace.channel(String(args.channel ?? ''));
        if (!channel || (channel.private && !channel.members.includes(BOT_USER.id))) return fail('channel_not_found');
        const message = this.workspace.message(channel.id, String(args.message_ts ?? ''));
        if (!message) return fail('message_not_found');
        const link = `https://${TEAM.domain}.slack.com/archives/${channel.id}/p${message.ts.replace('.', '')}`;
        return { channel: channel.id, permalink: message.thread_ts ? `${link}?thread_ts=${message.thread_ts}&cid=${channel.id}` : link };
      }
      case 'usergroups.users.list': {
        const group = SANDBOX_USER_GROUPS[String(args.usergroup)];
        return group ? { users: group.users } : fail('no_such_subteam');
      }
      case 'files.getUploadURLExternal':
        return this.uploadUrl(args);
      case 'files.completeUploadExternal':
        return this.completeUpload(args);
      case 'views.open':
        return this.openView(args);
      case 'views.publish':
        return this.publishHome(args);
    }
  }

  /** A channel the bot is a member of (topic and bookmarks need membership). */
  private memberChannel(ref: unknown) {
    const channel = this.workspace.channel(String(ref ?? ''));
    if (!channel) return fail('channel_not_found');
    if (!channel.members.includes(BOT_USER.id)) fail('not_in_channel');
    return channel;
  }

  /** The channel the bot may write to: public ones (chat:write.public), private ones it is in. */
  private writableChannel(ref: unknown) {
    const channel = this.workspace.channel(String(ref ?? ''));
    if (!channel) return fail('channel_not_found');
    if (channel.private && !channel.members.includes(BOT_USER.id)) fail('not_in_channel');
    return channel;
  }

  private content(args: Json): { text: string; blocks?: Json[] } {
    const blocks = parseJson(args.blocks);
    const text = args.text === undefined ? '' : String(args.text);
    if (!text && !blocks?.length) fail('no_text');
    if (text.length > MAX_MESSAGE_TEXT)
      fail('msg_too_long', [`text is ${text.length} characters; Slack takes at most ${MAX_MESSAGE_TEXT}`]);
    const problems = blockKitErrors(blocks, 'message');
    if (problems.length) fail('invalid_blocks', problems);
    return { text, ...(blocks ? { blocks: withIds(blocks)! } : {}) };
  }

  private postMessage(args: Json): Json {
    const channel = this.writableChannel(args.channel);
    const metadata = parseJson(args.metadata);
    const threadTs = args.thread_ts ? String(args.thread_ts) : undefined;
    if (threadTs && !this.workspace.message(channel.id, threadTs)) fail('thread_not_found');
    const message = this.workspace.post({
      channel: channel.id,
      user: BOT_USER.id,
      ...this.content(args),
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...(threadTs && (args.reply_broadcast === true || args.reply_broadcast === 'true') ? { reply_broadcast: true } : {}),
      ...(metadata ? { metadata } : {}),
    });
    return { channel: channel.id, ts: message.ts, message: messageJson(message, true) };
  }

  private update(args: Json): Json {
    const channel = this.writableChannel(args.channel);
    const message = this.workspace.message(channel.id, String(args.ts ?? ''));
    if (!message) return fail('message_not_found');
    if (message.user !== BOT_USER.id) fail('cant_update_message');
    const content = this.content(args);
    message.text = content.text;
    if (args.blocks !== undefined) message.blocks = content.blocks ?? [];
    const metadata = parseJson(args.metadata);
    if (metadata) message.metadata = metadata;
    message.edited = true;
    this.workspace.changed();
    return { channel: channel.id, ts: message.ts, text: message.text, message: messageJson(message, true) };
  }

  private postEphemeral(args: Json): Json {
    const channel = this.writableChannel(args.channel);
    const user = String(args.user ?? '');
    if (!this.workspace.user(user)) fail('user_not_found');
    if (!channel.members.includes(user)) fail('user_not_in_channel');
    const message = this.workspace.post({
      channel: channel.id,
      user: BOT_USER.id,
      visibleTo: user,
      ...this.content(args),
      ...(args.thread_ts ? { thread_ts: String(args.thread_ts) } : {}),
    });
    return { message_ts: message.ts };
  }

  private createChannel(args: Json): Json {
    const name = String(args.name ?? '');
    if (!name) fail('invalid_name_required');
    if (name.length > 80) fail('invalid_name_maxlength', [`"${name}" is ${name.length} characters; at most 80`]);
    if (!CHANNEL_NAME.test(name)) fail('invalid_name_specials', [`"${name}": only lowercase letters, digits, - and _`]);
    if (this.workspace.channelByName(name)) fail('name_taken', [`#${name} already exists`]);
    const isPrivate = args.is_private === true || args.is_private === 'true';
    const channel = this.workspace.createChannel(name, isPrivate, BOT_USER.id);
    return {
      channel: {
        id: channel.id,
        name,
        is_channel: true,
        is_private: isPrivate,
        is_member: true,
        created: Math.floor(Date.now() / 1000),
        creator: BOT_USER.id,
      },
    };
  }

  private invite(args: Json): Json {
    const channel = this.workspace.channel(String(args.channel ?? ''));
    if (!channel) return fail('channel_not_found');
    if (!channel.members.includes(BOT_USER.id)) fail('not_in_channel');
    const users = String(args.users ?? '')
      .split(',')
      .map((u) => u.trim())
      .filter(Boolean);
    if (!users.length) fail('no_user');
    for (const user of users) {
      if (user === BOT_USER.id) fail('cant_invite_self');
      if (!this.workspace.user(user)) fail('user_not_found', [`no user ${user}`]);
      if (channel.members.includes(user)) fail('already_in_channel', [`${user} is already in #${channel.name}`]);
    }
    channel.members.push(...users);
    this.workspace.changed();
    this.onJoined(channel.id, users, BOT_USER.id);
    return { channel: { id: channel.id, name: channel.name } };
  }

  /** Newest first for history (thread replies left out unless broadcast), parent first for replies; paged by cursor. */
  private history(method: 'conversations.history' | 'conversations.replies', args: Json): Json {
    const channel = this.workspace.channel(String(args.channel ?? ''));
    if (!channel) return fail('channel_not_found');
    if (!channel.members.includes(BOT_USER.id)) fail('not_in_channel');
    const oldest = Number(args.oldest ?? 0);
    const latest = args.latest ? Number(args.latest) : Infinity;
    const withMetadata = args.include_all_metadata === true || args.include_all_metadata === 'true';
    const visible = this.workspace.messages.filter(
      (m) => m.channel === channel.id && !m.visibleTo && Number(m.ts) >= oldest && Number(m.ts) <= latest,
    );
    let list: Message[];
    if (method === 'conversations.replies') {
      const ts = String(args.ts ?? '');
      if (!this.workspace.message(channel.id, ts)) fail('thread_not_found');
      list = visible.filter((m) => m.ts === ts || m.thread_ts === ts);
    } else list = visible.filter((m) => !m.thread_ts || m.reply_broadcast).reverse();
    const start = Number(args.cursor ?? 0) || 0;
    const limit = Math.min(Number(args.limit ?? 100) || 100, 1000);
    const page = list.slice(start, start + limit).map((m) => messageJson(m, withMetadata));
    const next = start + limit < list.length ? String(start + limit) : '';
    return { messages: page, has_more: next !== '', response_metadata: { next_cursor: next } };
  }

  /** Step 1 of files.uploadV2: a URL on the sandbox's own server takes the bytes (step 2). */
  private uploadUrl(args: Json): Json {
    const filename = String(args.filename ?? '');
    const length = Number(args.length);
    if (!filename) fail('invalid_arguments', ['filename is required [json-pointer:/filename]']);
    if (!Number.isInteger(length) || length <= 0) fail('invalid_arguments', ['length must be a positive integer [json-pointer:/length]']);
    const id = `F${randomBytes(5).toString('hex').toUpperCase()}`;
    this.workspace.files.set(id, { id, filename, length, ...(args.alt_text ? { altText: String(args.alt_text) } : {}) });
    return { upload_url: `${this.baseUrl()}sandbox/upload/${id}`, file_id: id };
  }

  /** Step 3: the uploaded files are shared into the channel (and thread) with the initial comment, as one message. */
  private completeUpload(args: Json): Json {
    const listed = parseJson(args.files) as { id?: string; title?: string }[] | undefined;
    if (!Array.isArray(listed) || !listed.length) fail('invalid_arguments', ['files is required [json-pointer:/files]']);
    const files = listed!.map((f) => {
      const file = this.workspace.files.get(String(f.id ?? ''));
      if (!file?.bytes) return fail('file_not_found', [`${String(f.id)} was not uploaded to its upload_url`]);
      file.title = f.title ?? file.filename;
      return file;
    });
    if (args.channel_id) {
      const channel = this.writableChannel(args.channel_id);
      const threadTs = args.thread_ts ? String(args.thread_ts) : undefined;
      if (threadTs && !this.workspace.message(channel.id, threadTs)) fail('invalid_thread_ts');
      const comment = args.initial_comment === undefined ? '' : String(args.initial_comment);
      if (comment.length > MAX_MESSAGE_TEXT) fail('msg_too_long');
      this.workspace.post({
        channel: channel.id,
        user: BOT_USER.id,
        text: comment,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        files: files.map((f) => ({
          id: f.id,
          name: f.filename,
          title: f.title ?? f.filename,
          mimetype: f.filename.endsWith('.png') ? 'image/png' : 'application/octet-stream',
          ...(f.altText ? { alt_text: f.altText } : {}),
        })),
      });
    }
    return { files: files.map((f) => ({ id: f.id, title: f.title, name: f.filename })) };
  }

  /** The emulator's own address, for the upload URL (set by the server once it listens). */
  baseUrl(): string {
    return this.publicUrl;
  }

  private viewJson(view: Json, id: string, userId: string): OpenView {
    const hash = `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`;
    const full = {
      id,
      team_id: TEAM.id,
      app_id: APP_ID,
      bot_id: BOT_USER.botId,
      private_metadata: '',
      callback_id: '',
      state: { values: {} },
      ...view,
      blocks: withIds(view.blocks ?? []),
      hash,
    };
    return { id, userId, view: full, hash };
  }

  private openView(args: Json): Json {
    const trigger = this.triggers.consume(args.trigger_id);
    if ('error' in trigger) fail(trigger.error);
    const view = parseJson(args.view);
    const problems = viewErrors(view);
    if (problems.length) fail('invalid_arguments', problems);
    if (view.type !== 'modal') fail('invalid_arguments', ['views.open takes a modal [json-pointer:/view/type]']);
    const { userId } = trigger as { userId: string };
    const opened = this.viewJson(view, this.workspace.nextViewId(), userId);
    this.workspace.modals.set(userId, [opened]);
    this.workspace.changed();
    return { view: opened.view };
  }

  private publishHome(args: Json): Json {
    const userId = String(args.user_id ?? '');
    if (!this.workspace.user(userId)) fail('user_not_found');
    const view = parseJson(args.view);
    if (view?.type !== 'home') fail('invalid_arguments', ['views.publish takes a home view [json-pointer:/view/type]']);
    const problems = viewErrors(view);
    if (problems.length) fail('invalid_arguments', problems);
    const current = this.workspace.homes.get(userId);
    if (args.hash && current && args.hash !== current.hash) fail('hash_conflict');
    const home = this.viewJson(view, current?.id ?? this.workspace.nextViewId(), userId);
    this.workspace.homes.set(userId, home);
    this.workspace.changed();
    return { view: home.view };
  }
}

function describeTier(method: EmulatedMethod): string {
  const tier = METHOD_TIERS[method];
  return tier === 'per-channel' ? 'chat.postMessage: about 1 per second per channel' : `${method} is Tier ${tier}`;
}

function parseJson(value: unknown): any {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return fail('invalid_json', [`not JSON: ${value.slice(0, 80)}`]);
  }
}

function messageJson(m: Message, withMetadata: boolean): Json {
  return {
    type: 'message',
    ts: m.ts,
    user: m.user,
    ...(m.user === BOT_USER.id ? { bot_id: BOT_USER.botId, app_id: APP_ID } : {}),
    text: m.text,
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
    ...(m.files ? { files: m.files } : {}),
    ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
  };
}
