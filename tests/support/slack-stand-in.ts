import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One recorded call to the stand-in: a Web API method or a response_url post. */
export interface SlackCall {
  method: string;
  args: Record<string, any>;
  at: number;
}

/** `landed`: the call takes effect (the message is posted) and then the error is returned, like a timeout after Slack acted. */
type Fault = { error: string; remaining: number; status?: number; retryAfter?: number; landed?: boolean };

/** A message as the stand-in keeps it, for conversations.history / conversations.replies. */
export interface StoredMessage {
  channel: string;
  ts: string;
  text: string;
  thread_ts?: string;
  /** When it was posted (ms); `oldest` filters on this, since the stand-in's ts values are counters, not times. */
  postedAt: number;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  /** As last posted or updated; clicks find the message carrying their button here. */
  blocks?: unknown[];
}

/** A file as the stand-in keeps it (files.uploadV2: the upload URL got the bytes, completeUploadExternal shared it). */
export interface StoredFile {
  id: string;
  filename: string;
  /** What getUploadURLExternal was told; the upload must match it. */
  length: number;
  altText?: string;
  bytes?: Buffer;
  title?: string;
  /** Where completeUploadExternal shared it, with its comment. */
  channel?: string;
  threadTs?: string;
  initialComment?: string;
}

const LIMITS = { blocks: 50, viewBlocks: 100, sectionText: 3000, buttonText: 75, headerText: 150 };

/** Mirrors the Block Kit limits Slack enforces with `invalid_blocks`. */
export function blockKitProblems(blocks: unknown, max = LIMITS.blocks): string[] {
  if (!Array.isArray(blocks)) return [];
  const problems: string[] = [];
  if (blocks.length > max) problems.push(`more than ${max} blocks`);
  const visit = (node: any, path: string) => {
    if (!node || typeof node !== 'object') return;
    if (node.type === 'section' && node.text?.text?.length > LIMITS.sectionText)
      problems.push(`${path}.text longer than ${LIMITS.sectionText}`);
    if (node.type === 'header' && node.text?.text?.length > LIMITS.headerText)
      problems.push(`${path}.text longer than ${LIMITS.headerText}`);
    if (node.type === 'button' && node.text?.text?.length > LIMITS.buttonText)
      problems.push(`${path}.text longer than ${LIMITS.buttonText}`);
    for (const [key, value] of Object.entries(node)) if (value && typeof value === 'object') visit(value, `${path}.${key}`);
  };
  blocks.forEach((b, i) => {
    visit(b, `blocks[${i}]`);
  });
  return problems;
}

/**
 * A local HTTP server that answers like the Slack Web API for the methods the bot uses,
 * records every call, and can be told to fail (name_taken, ratelimited, 500 …).
 */
export class SlackStandIn {
  readonly calls: SlackCall[] = [];
  private server: Server | undefined;
  private faults = new Map<string, Fault[]>();
  private overrides = new Map<string, Record<string, unknown>>();
  private outage: Set<string> | null = null;
  private hooks = new Map<string, () => void | Promise<void>>();
  private delays = new Map<string, { ms: number; remaining: number }>();
  private tsCounter = 1_000_000;
  private channels = new Map<string, { id: string; name: string; created?: number; is_private?: boolean; creator?: string }>();
  /** Every message posted, in order; history and replies read from here. */
  readonly messages: StoredMessage[] = [];
  readonly takenNames = new Set<string>();
  /** Channel members (conversations.invite), topics (conversations.setTopic) and bookmarks (bookmarks.add/edit), by channel id. */
  readonly members = new Map<string, Set<string>>();
  readonly topics = new Map<string, string>();
  readonly bookmarks = new Map<string, { id: string; title: string; link: string; type: string }[]>();
  /** usergroups.users.list answers from here: group id → member user ids. */
  readonly userGroups = new Map<string, string[]>();
  /** users.info answers from here: a display name, or fields over an active full member (e.g. { deleted: true }, { is_restricted: true }). */
  readonly users = new Map<string, string | Record<string, unknown>>();
  /** users.lookupByEmail answers from here: email → user id; any other email is users_not_found. */
  readonly emails = new Map<string, string>();
  /** Files uploaded through files.getUploadURLExternal → upload URL → files.completeUploadExternal. */
  readonly files: StoredFile[] = [];
  url = '';

  constructor() {
    this.channels.set('incident-response', { id: 'C0INCIDENT', name: 'incident-response' });
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections?.();
  }

  get apiUrl(): string {
    return `${this.url}api/`;
  }

  responseUrl(id: string): string {
    return `${this.url}respond/${id}`;
  }

  /** The next `times` calls of `method` fail with `error` (HTTP 200 ok:false, like Slack), or with a status. */
  fail(method: string, error: string, times = 1, options: { status?: number; retryAfter?: number; landed?: boolean } = {}): void {
    const list = this.faults.get(method) ?? [];
    list.push({ error, remaining: times, ...options });
    this.faults.set(method, list);
  }

  /** Slack is down for these methods (all when none named) until `up()`: every call gets HTTP 503. */
  down(methods: string[] = []): void {
    this.outage = new Set(methods);
  }

  up(): void {
    this.outage = null;
  }

  /** Runs `hook` once, when `method` is next called, after Slack has acted and before it answers. */
  beforeAnswering(method: string, hook: () => void | Promise<void>): void {
    this.hooks.set(method, hook);
  }

  /** The next `times` calls of `method` are answered only after `ms` (a slow Slack). */
  delay(method: string, ms: number, times = 1): void {
    this.delays.set(method, { ms, remaining: times });
  }

  /** Answers `method` with `body` from now on (e.g. apps.connections.open's socket URL). */
  answerWith(method: string, body: Record<string, unknown>): void {
    this.overrides.set(method, body);
  }

  /** The latest message showing a button with this action_id and value: where a person would click it. */
  messageWithButton(actionId: string, value: string): StoredMessage | undefined {
    const has = (node: any): boolean =>
      !!node && typeof node === 'object' && ((node.action_id === actionId && node.value === value) || Object.values(node).some(has));
    return [...this.messages].reverse().find((m) => has(m.blocks));
  }

  /** A channel as created (conversations.create), by id. */
  channelById(id: string): { id: string; name: string; is_private?: boolean } | undefined {
    return [...this.channels.values()].find((c) => c.id === id);
  }

  /** A channel a person made in Slack by hand (not through the bot): it is listed by conversations.list like any other. */
  addChannel(channel: { name: string; is_private?: boolean; creator: string; created: number }): string {
    const id = `C${String(this.channels.size).padStart(8, '0')}`;
    this.channels.set(channel.name, { id, ...channel });
    return id;
  }

  /** A channel by its name (created or there from the start). */
  channelByName(name: string): { id: string; name: string; is_private?: boolean } | undefined {
    return this.channels.get(name);
  }

  callsTo(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  reset(): void {
    this.calls.length = 0;
    this.faults.clear();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/upload/'))
      return this.receiveUpload(url.pathname.slice('/upload/'.length), Buffer.concat(chunks), req, res);
    const raw = Buffer.concat(chunks).toString('utf8');
    const args = parseBody(raw, req.headers['content-type'] ?? '');
    if (url.pathname.startsWith('/respond/')) {
      this.calls.push({ method: 'response_url', args: { ...args, responseId: url.pathname.slice('/respond/'.length) }, at: Date.now() });
      res.writeHead(200, { 'content-type': 'text/plain' });
      return void res.end('ok');
    }
    const method = url.pathname.replace(/^\/api\//, '');
    this.calls.push({ method, args, at: Date.now() });
    if (this.outage && (this.outage.size === 0 || this.outage.has(method))) {
      res.writeHead(503, { 'content-type': 'text/plain' });
      return void res.end('service unavailable');
    }
    const delay = this.delays.get(method);
    if (delay && delay.remaining > 0) {
      delay.remaining -= 1;
      await new Promise((r) => setTimeout(r, delay.ms));
    }
    const fault = this.faults.get(method)?.find((f) => f.remaining > 0);
    if (fault) {
      fault.remaining -= 1;
      if (fault.landed) this.answer(method, args);
      if (fault.status) {
        res.writeHead(fault.status, {
          'content-type': 'application/json',
          ...(fault.retryAfter ? { 'retry-after': String(fault.retryAfter) } : {}),
        });
        return void res.end(JSON.stringify({ ok: false, error: fault.error }));
      }
      return this.json(res, { ok: false, error: fault.error });
    }
    const body = this.overrides.get(method) ?? this.answer(method, args);
    const hook = this.hooks.get(method);
    if (hook) {
      this.hooks.delete(method);
      await hook();
    }
    this.json(res, body);
  }

  /** The upload URL: the client POSTs the bytes as multipart form data (field `body`); Slack answers 200 "OK - <length>". */
  private async receiveUpload(fileId: string, raw: Buffer, req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.calls.push({ method: 'upload', args: { fileId, bytes: raw.length }, at: Date.now() });
    const fault = this.faults.get('upload')?.find((f) => f.remaining > 0);
    if (fault) {
      fault.remaining -= 1;
      res.writeHead(fault.status ?? 500, { 'content-type': 'text/plain' });
      return void res.end(fault.error);
    }
    const file = this.files.find((f) => f.id === fileId);
    if (!file) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('no such upload');
    const type = String(req.headers['content-type'] ?? '');
    const bytes = type.includes('multipart/form-data')
      ? await new Response(raw, { headers: { 'content-type': type } }).formData().then(async (form) => {
          const part = form.get('body') ?? form.get('file');
          return part && typeof part !== 'string' ? Buffer.from(await part.arrayBuffer()) : null;
        })
      : raw;
    if (!bytes || bytes.length !== file.length)
      return void res.writeHead(400, { 'content-type': 'text/plain' }).end(`expected ${file.length} bytes, got ${bytes?.length ?? 0}`);
    file.bytes = bytes;
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`OK - ${bytes.length}`);
  }

  private json(res: ServerResponse, body: unknown): void {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private hasChannelId(id: string): boolean {
    return [...this.channels.values()].some((c) => c.id === id) || this.messages.some((m) => m.channel === id);
  }

  private channelId(channel: string): string {
    // Like Slack: a post to a user id lands in the bot's DM with them.
    if (/^[UW][A-Z0-9]+$/.test(channel)) return `D${channel.slice(1)}`;
    const name = channel.replace(/^#/, '');
    return this.channels.get(name)?.id ?? channel;
  }

  private answer(method: string, args: Record<string, any>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://example.slack.com/',
          team: 'Example',
          user: 'incident-bot',
          team_id: 'T0TEAM',
          user_id: 'U0BOT',
          bot_id: 'B0BOT',
        };
      case 'bots.info':
        return args.bot === 'B0BOT'
          ? { ok: true, bot: { id: 'B0BOT', app_id: 'A0APP', name: 'incident-bot', deleted: false } }
          : { ok: false, error: 'bot_not_found' };
      case 'users.info': {
        const user = String(args.user);
        const known = this.users.get(user);
        // A display name set by a test, or fields over an active full member with no name (so names fall back to the id).
        const shown =
          typeof known === 'string'
            ? { name: known.toLowerCase().replace(/\s+/g, '.'), real_name: known, profile: { display_name: known, real_name: known } }
            : (known ?? {});
        return { ok: true, user: { id: user, deleted: false, is_restricted: false, is_ultra_restricted: false, is_bot: false, ...shown } };
      }
      case 'users.lookupByEmail': {
        const user = this.emails.get(String(args.email ?? '').toLowerCase());
        if (!user) return { ok: false, error: 'users_not_found' };
        return { ok: true, user: { id: user, deleted: false, is_bot: false, profile: { email: String(args.email) } } };
      }
      case 'chat.postMessage': {
        const problems = blockKitProblems(args.blocks);
        if (problems.length) return { ok: false, error: 'invalid_blocks', errors: problems };
        const ts = `${++this.tsCounter}.000100`;
        const channel = this.channelId(String(args.channel));
        const metadata = typeof args.metadata === 'string' ? JSON.parse(args.metadata) : args.metadata;
        this.messages.push({
          channel,
          ts,
          postedAt: Date.now(),
          text: String(args.text ?? ''),
          ...(args.thread_ts ? { thread_ts: String(args.thread_ts) } : {}),
          ...(metadata ? { metadata } : {}),
          ...(Array.isArray(args.blocks) ? { blocks: args.blocks } : {}),
        });
        return { ok: true, channel, ts, message: { text: args.text, ts } };
      }
      case 'chat.update': {
        const problems = blockKitProblems(args.blocks);
        if (problems.length) return { ok: false, error: 'invalid_blocks', errors: problems };
        const stored = this.messages.find((m) => m.channel === this.channelId(String(args.channel)) && m.ts === String(args.ts));
        if (stored && Array.isArray(args.blocks)) stored.blocks = args.blocks;
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `${++this.tsCounter}.000200` };
      case 'conversations.create': {
        const name = String(args.name);
        if (name.length > 80 || !/^[a-z0-9_-]+$/.test(name)) return { ok: false, error: 'invalid_name_specials' };
        if (this.takenNames.has(name) || this.channels.has(name)) return { ok: false, error: 'name_taken' };
        const isPrivate = args.is_private === true || args.is_private === 'true';
        const channel = {
          id: `C${String(this.channels.size).padStart(8, '0')}`,
          name,
          created: Math.floor(Date.now() / 1000),
          // The bot's own user (auth.test) creates every channel the bot asks for.
          creator: 'U0BOT',
          ...(isPrivate ? { is_private: true } : {}),
        };
        this.channels.set(name, channel);
        return { ok: true, channel: { ...channel, is_channel: !isPrivate, is_group: isPrivate } };
      }
      case 'conversations.list': {
        // Like Slack: private channels only when asked for (types=private_channel).
        const types = String(args.types ?? 'public_channel').split(',');
        const all = [...this.channels.values()]
          .filter((c) => types.includes(c.is_private ? 'private_channel' : 'public_channel'))
          .map((c) => ({ ...c, is_channel: true, is_archived: false }));
        const start = Number(args.cursor ?? 0);
        const limit = Number(args.limit ?? 100);
        const next = start + limit < all.length ? String(start + limit) : '';
        return { ok: true, channels: all.slice(start, start + limit), response_metadata: { next_cursor: next } };
      }
      case 'conversations.history':
      case 'conversations.replies': {
        // Like Slack: newest first, `oldest` in seconds, metadata only with include_all_metadata, paged by cursor.
        const channel = this.channelId(String(args.channel));
        if (!this.hasChannelId(channel)) return { ok: false, error: 'channel_not_found' };
        const oldest = Number(args.oldest ?? 0);
        const inThread = method === 'conversations.replies';
        const withMetadata = args.include_all_metadata === true || args.include_all_metadata === 'true';
        const all = this.messages
          .filter(
            (m) =>
              m.channel === channel &&
              m.postedAt >= oldest * 1000 &&
              (inThread ? m.thread_ts === args.ts || m.ts === args.ts : !m.thread_ts),
          )
          .reverse();
        const start = Number(args.cursor ?? 0);
        const limit = Number(args.limit ?? 100);
        const page = all.slice(start, start + limit).map(({ channel: _c, postedAt: _p, metadata, ...m }) => ({
          type: 'message',
          ...m,
          ...(withMetadata && metadata ? { metadata } : {}),
        }));
        const next = start + limit < all.length ? String(start + limit) : '';
        return { ok: true, messages: page, has_more: next !== '', response_metadata: { next_cursor: next } };
      }
      case 'usergroups.users.list': {
        const users = this.userGroups.get(String(args.usergroup));
        return users ? { ok: true, users } : { ok: false, error: 'no_such_subteam' };
      }
      case 'conversations.invite': {
        // Like Slack: up to 1000 comma-separated user ids; someone already in it is an error.
        const users = String(args.users ?? '')
          .split(',')
          .filter(Boolean);
        if (!users.length || users.length > 1000) return { ok: false, error: 'no_user' };
        const members = this.members.get(String(args.channel)) ?? new Set<string>();
        if (users.every((u) => members.has(u))) return { ok: false, error: 'already_in_channel' };
        users.forEach((u) => {
          members.add(u);
        });
        this.members.set(String(args.channel), members);
        return { ok: true, channel: { id: args.channel } };
      }
      case 'conversations.setTopic': {
        if (!this.hasChannelId(String(args.channel))) return { ok: false, error: 'channel_not_found' };
        if (String(args.topic ?? '').length > 250) return { ok: false, error: 'too_long' };
        this.topics.set(String(args.channel), String(args.topic ?? ''));
        return { ok: true, channel: { id: args.channel, topic: { value: args.topic } } };
      }
      case 'bookmarks.add': {
        if (!this.hasChannelId(String(args.channel_id))) return { ok: false, error: 'channel_not_found' };
        if (args.type !== 'link' || !/^https?:\/\//.test(String(args.link ?? '')) || !args.title)
          return { ok: false, error: 'invalid_arguments' };
        const list = this.bookmarks.get(String(args.channel_id)) ?? [];
        const bookmark = {
          id: `Bk${++this.tsCounter}`,
          channel_id: args.channel_id,
          title: String(args.title),
          link: String(args.link),
          type: 'link',
        };
        list.push(bookmark);
        this.bookmarks.set(String(args.channel_id), list);
        return { ok: true, bookmark };
      }
      case 'bookmarks.edit': {
        // Like Slack: the bookmark is looked up in its channel; one removed by a person is `not_found`.
        if (!this.hasChannelId(String(args.channel_id))) return { ok: false, error: 'channel_not_found' };
        const bookmark = this.bookmarks.get(String(args.channel_id))?.find((b) => b.id === String(args.bookmark_id));
        if (!bookmark) return { ok: false, error: 'not_found' };
        if (args.link !== undefined && !/^https?:\/\//.test(String(args.link))) return { ok: false, error: 'invalid_link' };
        if (args.title) bookmark.title = String(args.title);
        if (args.link !== undefined) bookmark.link = String(args.link);
        return { ok: true, bookmark: { ...bookmark, channel_id: args.channel_id } };
      }
      case 'chat.getPermalink': {
        const channel = this.channelId(String(args.channel));
        if (!this.hasChannelId(channel)) return { ok: false, error: 'channel_not_found' };
        const message = this.messages.find((m) => m.channel === channel && m.ts === String(args.message_ts));
        if (!message) return { ok: false, error: 'message_not_found' };
        return { ok: true, channel, permalink: permalink(channel, message) };
      }
      case 'files.getUploadURLExternal': {
        const length = Number(args.length);
        if (!args.filename || !Number.isInteger(length) || length <= 0) return { ok: false, error: 'invalid_arguments' };
        const id = `F${++this.tsCounter}`;
        this.files.push({ id, filename: String(args.filename), length, ...(args.alt_text ? { altText: String(args.alt_text) } : {}) });
        return { ok: true, upload_url: `${this.url}upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        // Like Slack: every file must have been uploaded; shared into the channel (and thread) with one message.
        const listed = (typeof args.files === 'string' ? JSON.parse(args.files) : args.files) as { id: string; title?: string }[];
        const found = (listed ?? []).map((f) => ({ listed: f, file: this.files.find((s) => s.id === f.id) }));
        if (!found.length || found.some((f) => !f.file?.bytes)) return { ok: false, error: 'file_not_found' };
        const shared = found.map(({ listed: l, file }) => {
          file!.title = l.title ?? file!.filename;
          return file!;
        });
        if (args.channel_id) {
          const channel = this.channelId(String(args.channel_id));
          if (!this.hasChannelId(channel)) return { ok: false, error: 'channel_not_found' };
          if (args.thread_ts && !this.messages.some((m) => m.channel === channel && m.ts === String(args.thread_ts)))
            return { ok: false, error: 'invalid_thread_ts' };
          for (const file of shared) {
            file.channel = channel;
            if (args.thread_ts) file.threadTs = String(args.thread_ts);
            if (args.initial_comment) file.initialComment = String(args.initial_comment);
          }
          this.messages.push({
            channel,
            ts: `${++this.tsCounter}.000100`,
            postedAt: Date.now(),
            text: String(args.initial_comment ?? ''),
            ...(args.thread_ts ? { thread_ts: String(args.thread_ts) } : {}),
          });
        }
        return { ok: true, files: shared.map((f) => ({ id: f.id, title: f.title, name: f.filename })) };
      }
      case 'views.open':
      case 'views.publish':
      case 'views.update': {
        const view = typeof args.view === 'string' ? JSON.parse(args.view) : args.view;
        const problems = blockKitProblems(view?.blocks, LIMITS.viewBlocks);
        if (problems.length) return { ok: false, error: 'invalid_arguments', response_metadata: { messages: problems } };
        return { ok: true, view: { id: `V${++this.tsCounter}`, ...view } };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

/** Slack's permalink shape: the ts without its dot, a thread reply naming its thread. */
function permalink(channel: string, message: { ts: string; thread_ts?: string }): string {
  const link = `https://example.slack.com/archives/${channel}/p${message.ts.replace('.', '')}`;
  return message.thread_ts ? `${link}?thread_ts=${message.thread_ts}&cid=${channel}` : link;
}

/** The Web API client sends form-encoded bodies with JSON-encoded nested values. */
function parseBody(raw: string, contentType: string): Record<string, any> {
  if (!raw) return {};
  if (contentType.includes('application/json')) return JSON.parse(raw);
  const out: Record<string, any> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    if (value.startsWith('[') || value.startsWith('{')) {
      try {
        out[key] = JSON.parse(value);
        continue;
      } catch {
        // keep as text
      }
    }
    out[key] = value;
  }
  return out;
}
