import { APP_ID, BOT_USER, SANDBOX_USER_GROUPS, SANDBOX_USERS, START_CHANNELS, type SandboxUser } from '../sandbox-people';

type Json = Record<string, any>;

export interface Channel {
  id: string;
  name: string;
  private: boolean;
  members: string[];
  createdBy: string;
  topic?: string;
  bookmarks?: { id: string; title: string; link: string }[];
}

export interface Message {
  channel: string;
  ts: string;
  /** A user id, or BOT_USER.id for the bot. */
  user: string;
  text: string;
  blocks?: Json[];
  thread_ts?: string;
  reply_broadcast?: boolean;
  metadata?: { event_type: string; event_payload: Json };
  /** Files shared with the message (files.completeUploadExternal); the page shows images inline. */
  files?: { id: string; name: string; title: string; mimetype: string; alt_text?: string }[];
  /** Set for ephemeral messages: only this user sees it. */
  visibleTo?: string;
  edited?: boolean;
  postedAt: number;
}

export interface OpenView {
  id: string;
  userId: string;
  view: Json;
  hash: string;
  errors?: Record<string, string>;
}

/** A file uploaded through files.getUploadURLExternal: its bytes arrive at the upload URL. */
export interface UploadedFile {
  id: string;
  filename: string;
  /** Announced length; the upload must match it. */
  length: number;
  altText?: string;
  bytes?: Buffer;
  title?: string;
}

/** A call Slack would refuse, shown on the page's "Refused by Slack" tab. */
export interface Refusal {
  at: number;
  method: string;
  error: string;
  detail: string[];
}

/**
 * The workspace as the emulator holds it: channels, messages (ephemeral ones marked), each
 * user's modal stack and Home tab, and what Slack refused. Every change is announced to
 * `onChange` listeners (the page's push channel), coalesced per tick.
 */
export class Workspace {
  readonly users: SandboxUser[] = SANDBOX_USERS;
  readonly channels = new Map<string, Channel>();
  readonly messages: Message[] = [];
  readonly modals = new Map<string, OpenView[]>();
  readonly homes = new Map<string, OpenView>();
  readonly refusals: Refusal[] = [];
  /** Uploaded files by id (bytes kept here, never pushed to the page: it loads them from /sandbox/files/<id>). */
  readonly files = new Map<string, UploadedFile>();
  private lastTs = 0;
  private viewCounter = 0;
  private listeners = new Set<() => void>();
  private pending = false;

  constructor(private readonly now: () => number = Date.now) {
    for (const c of START_CHANNELS) this.channels.set(c.id, { ...c, members: [...c.members], createdBy: 'U0ONCALL' });
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(): void {
    if (this.pending) return;
    this.pending = true;
    queueMicrotask(() => {
      this.pending = false;
      for (const l of this.listeners) l();
    });
  }

  user(id: string): SandboxUser | undefined {
    return this.users.find((u) => u.id === id);
  }

  isUser(id: string): boolean {
    return id === BOT_USER.id || this.user(id) !== undefined;
  }

  /** Slack timestamps are seconds.microseconds, unique per workspace. */
  nextTs(): string {
    const micros = Math.max(this.now() * 1000, this.lastTs + 1);
    this.lastTs = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  nextViewId(): string {
    return `V${String(++this.viewCounter).padStart(8, '0')}`;
  }

  /** By id, or by `#name` / `name`, as the Web API accepts both. */
  channel(ref: string): Channel | undefined {
    const byId = this.channels.get(ref);
    if (byId) return byId;
    const name = ref.replace(/^#/, '');
    return [...this.channels.values()].find((c) => c.name === name);
  }

  channelByName(name: string): Channel | undefined {
    return [...this.channels.values()].find((c) => c.name === name);
  }

  createChannel(name: string, isPrivate: boolean, createdBy: string): Channel {
    const channel: Channel = {
      id: `C${String(this.channels.size + 1).padStart(8, '0')}`,
      name,
      private: isPrivate,
      members: [createdBy],
      createdBy,
    };
    this.channels.set(channel.id, channel);
    this.changed();
    return channel;
  }

  post(message: Omit<Message, 'ts' | 'postedAt'>): Message {
    const stored: Message = { ...message, ts: this.nextTs(), postedAt: this.now() };
    this.messages.push(stored);
    this.changed();
    return stored;
  }

  message(channel: string, ts: string): Message | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts && !m.visibleTo);
  }

  refuse(method: string, error: string, detail: string[] = []): void {
    this.refusals.push({ at: this.now(), method, error, detail });
    this.changed();
  }

  /** What the page draws; each user's view is picked out by the page itself. */
  snapshot(): Json {
    return {
      team: { appId: APP_ID },
      bot: BOT_USER,
      users: this.users,
      groups: SANDBOX_USER_GROUPS,
      channels: [...this.channels.values()],
      messages: this.messages,
      modals: Object.fromEntries(this.modals),
      homes: Object.fromEntries(this.homes),
      refusals: this.refusals,
    };
  }
}
