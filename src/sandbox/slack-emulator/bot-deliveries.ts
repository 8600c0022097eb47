import { createHmac, randomUUID } from 'node:crypto';
import { APP_ID, BOT_USER, TEAM } from '../sandbox-people';
import { blockKitErrors } from './block-kit-limits';
import { withIds } from './slack-web-api';
import type { TriggerIds } from './trigger-ids';
import type { Message, OpenView, Workspace } from './workspace';

type Json = Record<string, any>;

/** Slack gives an app 3 seconds to acknowledge; later answers are dropped and the person sees an error. */
const ACK_TIMEOUT_MS = 3000;
/** A response_url takes 5 posts within 30 minutes. */
const RESPONSE_URL_USES = 5;
const RESPONSE_URL_TTL_MS = 30 * 60_000;

/** Signs as Slack does: v0=HMAC-SHA256(secret, "v0:{timestamp}:{raw body}"). */
export function signSlackRequest(body: string, secret: string, timestampSeconds: number): Record<string, string> {
  return {
    'x-slack-request-timestamp': String(timestampSeconds),
    'x-slack-signature': `v0=${createHmac('sha256', secret).update(`v0:${timestampSeconds}:${body}`).digest('hex')}`,
  };
}

export interface ClickTarget {
  userId: string;
  /** A message click: where the message is. */
  channelId?: string;
  messageTs?: string;
  /** A modal or Home click. */
  viewId?: string;
  blockId: string;
  element: Json;
  /** For selects: the chosen option's value. */
  selectedValue?: string;
  /** Current input values of the view (view.state.values). */
  stateValues?: Json;
}

interface ResponseUrl {
  userId: string;
  channelId: string;
  messageTs?: string;
  uses: number;
  at: number;
}

/**
 * What Slack sends to the app, and what it does with the app's answers: slash commands,
 * block_actions, view_submission, message shortcuts and app_home_opened, signed exactly as
 * Slack signs them and POSTed to the bot's /slack/events; acknowledgements and response_url
 * posts are turned into what the person sees.
 */
export class BotDeliveries {
  private readonly responseUrls = new Map<string, ResponseUrl>();

  constructor(
    private readonly workspace: Workspace,
    private readonly triggers: TriggerIds,
    private readonly options: { eventsUrl: () => string; signingSecret: string; responseUrlBase: () => string },
  ) {}

  async slashCommand(userId: string, channelId: string, text: string): Promise<void> {
    const channel = this.workspace.channel(channelId);
    const user = this.workspace.user(userId);
    if (!channel || !user) throw new Error(`no channel ${channelId} or user ${userId}`);
    const responseUrl = this.responseUrl({ userId, channelId: channel.id });
    const body = new URLSearchParams({
      token: 'sandbox-verification-token',
      team_id: TEAM.id,
      team_domain: TEAM.domain,
      channel_id: channel.id,
      channel_name: channel.private ? 'privategroup' : channel.name,
      user_id: userId,
      user_name: user.name,
      command: '/incident',
      text,
      api_app_id: APP_ID,
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: this.triggers.issue(userId),
    }).toString();
    const answer = await this.deliver(body, 'application/x-www-form-urlencoded', `/incident ${text}`, userId, channel.id);
    if (answer?.json && (answer.json.text || answer.json.blocks))
      this.showResponse({ userId, channelId: channel.id, uses: 0, at: Date.now() }, answer.json);
  }

  async blockAction(target: ClickTarget): Promise<void> {
    const { userId, element } = target;
    const user = this.workspace.user(userId)!;
    const action: Json = {
      type: element.type,
      action_id: element.action_id,
      block_id: target.blockId,
      action_ts: (Date.now() / 1000).toFixed(6),
    };
    if (element.type === 'button')
      Object.assign(action, {
        text: element.text,
        ...(element.value !== undefined ? { value: element.value } : {}),
        ...(element.style ? { style: element.style } : {}),
      });
    else {
      const chosen = (element.options ?? []).find((o: Json) => o.value === target.selectedValue);
      Object.assign(action, { selected_option: chosen ?? null, ...(element.placeholder ? { placeholder: element.placeholder } : {}) });
    }
    const payload: Json = {
      type: 'block_actions',
      user: { id: userId, username: user.name, name: user.name, team_id: TEAM.id },
      api_app_id: APP_ID,
      token: 'sandbox-verification-token',
      trigger_id: this.triggers.issue(userId),
      team: { id: TEAM.id, domain: TEAM.domain },
      enterprise: null,
      is_enterprise_install: false,
      actions: [action],
    };
    if (target.viewId) {
      const open = this.findView(target.viewId);
      if (!open) throw new Error(`no view ${target.viewId}`);
      payload.container = { type: 'view', view_id: open.id };
      payload.view = { ...open.view, state: { values: target.stateValues ?? {} } };
    } else {
      const message = this.workspace.messages.find((m) => m.channel === target.channelId && m.ts === target.messageTs);
      if (!message) throw new Error(`no message ${target.messageTs} in ${target.channelId}`);
      const channel = this.workspace.channel(message.channel)!;
      payload.container = { type: 'message', message_ts: message.ts, channel_id: channel.id, is_ephemeral: Boolean(message.visibleTo) };
      payload.channel = { id: channel.id, name: channel.name };
      if (!message.visibleTo) payload.message = messagePayload(message);
      payload.state = { values: {} };
      payload.response_url = this.responseUrl({ userId, channelId: channel.id, messageTs: message.ts });
    }
    await this.deliver(interaction(payload), 'application/x-www-form-urlencoded', `click ${element.action_id}`, userId, target.channelId);
  }

  /** Submits the user's top modal; Slack acts on the acknowledgement (errors, update, push, clear, or close). */
  async viewSubmission(userId: string, viewId: string, values: Json): Promise<void> {
    const stack = this.workspace.modals.get(userId) ?? [];
    const open = stack.find((v) => v.id === viewId);
    if (!open) throw new Error(`no open view ${viewId} for ${userId}`);
    const user = this.workspace.user(userId)!;
    const payload = {
      type: 'view_submission',
      team: { id: TEAM.id, domain: TEAM.domain },
      user: { id: userId, username: user.name, name: user.name, team_id: TEAM.id },
      api_app_id: APP_ID,
      token: 'sandbox-verification-token',
      trigger_id: this.triggers.issue(userId),
      view: { ...open.view, state: { values } },
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    };
    open.errors = undefined;
    const answer = await this.deliver(interaction(payload), 'application/x-www-form-urlencoded', `submit ${open.view.callback_id}`, userId);
    if (!answer) {
      open.errors = { _: 'We had some trouble connecting. Try again?' };
      return this.workspace.changed();
    }
    const ack = answer.json ?? {};
    switch (ack.response_action) {
      case 'errors':
        open.errors = ack.errors ?? {};
        break;
      case 'update':
      case 'push': {
        const view = {
          ...open.view,
          ...ack.view,
          id: ack.response_action === 'update' ? open.id : this.workspace.nextViewId(),
          blocks: withIds(ack.view?.blocks ?? []),
          state: { values: {} },
        };
        const next: OpenView = { id: view.id, userId, view, hash: String(Date.now()) };
        if (ack.response_action === 'update') stack[stack.indexOf(open)] = next;
        else stack.push(next);
        break;
      }
      case 'clear':
        this.workspace.modals.delete(userId);
        break;
      default:
        stack.splice(stack.indexOf(open), 1);
        if (!stack.length) this.workspace.modals.delete(userId);
    }
    this.workspace.changed();
  }

  closeModal(userId: string): void {
    this.workspace.modals.delete(userId);
    this.workspace.changed();
  }

  async homeOpened(userId: string): Promise<void> {
    const home = this.workspace.homes.get(userId);
    const body = JSON.stringify({
      token: 'sandbox-verification-token',
      team_id: TEAM.id,
      api_app_id: APP_ID,
      event: {
        type: 'app_home_opened',
        user: userId,
        channel: `D0${userId.slice(1)}`,
        tab: 'home',
        event_ts: (Date.now() / 1000).toFixed(6),
        ...(home ? { view: home.view } : {}),
      },
      type: 'event_callback',
      event_id: `Ev${randomUUID().replaceAll('-', '').slice(0, 10).toUpperCase()}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: TEAM.id, user_id: BOT_USER.id, is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
    });
    await this.deliver(body, 'application/json', 'app_home_opened', userId);
  }

  /** member_joined_channel, as Slack sends it to a bot in the channel (channel_type C public, G private). */
  async memberJoined(userId: string, channelId: string, inviter?: string): Promise<void> {
    const channel = this.workspace.channel(channelId);
    if (!channel?.members.includes(BOT_USER.id)) return; // Slack tells only the channels' members
    const body = JSON.stringify({
      token: 'sandbox-verification-token',
      team_id: TEAM.id,
      api_app_id: APP_ID,
      event: {
        type: 'member_joined_channel',
        user: userId,
        channel: channel.id,
        channel_type: channel.private ? 'G' : 'C',
        team: TEAM.id,
        ...(inviter ? { inviter } : {}),
        event_ts: (Date.now() / 1000).toFixed(6),
      },
      type: 'event_callback',
      event_id: `Ev${randomUUID().replaceAll('-', '').slice(0, 10).toUpperCase()}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: TEAM.id, user_id: BOT_USER.id, is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
    });
    await this.deliver(body, 'application/json', 'member_joined_channel', userId, channel.id);
  }

  async messageShortcut(userId: string, channelId: string, messageTs: string, callbackId: string): Promise<void> {
    const message = this.workspace.message(channelId, messageTs);
    const channel = this.workspace.channel(channelId);
    if (!message || !channel) throw new Error(`no message ${messageTs} in ${channelId}`);
    const user = this.workspace.user(userId)!;
    const payload = {
      type: 'message_action',
      callback_id: callbackId,
      trigger_id: this.triggers.issue(userId),
      response_url: this.responseUrl({ userId, channelId: channel.id, messageTs }),
      team: { id: TEAM.id, domain: TEAM.domain },
      user: { id: userId, name: user.name, username: user.name, team_id: TEAM.id },
      channel: { id: channel.id, name: channel.name },
      message: messagePayload(message),
      message_ts: messageTs,
      action_ts: (Date.now() / 1000).toFixed(6),
      token: 'sandbox-verification-token',
      is_enterprise_install: false,
    };
    await this.deliver(interaction(payload), 'application/x-www-form-urlencoded', `shortcut ${callbackId}`, userId, channelId);
  }

  /** A POST from the bot to a response_url: a reply to the person, or a change to the clicked message. */
  respond(id: string, body: Json): { status: number; body: Json } {
    const entry = this.responseUrls.get(id);
    if (!entry || Date.now() - entry.at > RESPONSE_URL_TTL_MS)
      return this.refuseResponse('expired_url', ['the response_url is unknown or older than 30 minutes']);
    if (entry.uses >= RESPONSE_URL_USES) return this.refuseResponse('used_url', [`a response_url takes ${RESPONSE_URL_USES} posts`]);
    const problems = blockKitErrors(body.blocks, 'message');
    if (problems.length) return this.refuseResponse('invalid_blocks', problems, 400);
    entry.uses += 1;
    this.showResponse(entry, body);
    return { status: 200, body: { ok: true } };
  }

  private refuseResponse(error: string, detail: string[], status = 404): { status: number; body: Json } {
    this.workspace.refuse('response_url', error, detail);
    return { status, body: { ok: false, error } };
  }

  private showResponse(entry: ResponseUrl, body: Json): void {
    const source = entry.messageTs
      ? this.workspace.messages.find((m) => m.channel === entry.channelId && m.ts === entry.messageTs)
      : undefined;
    if (source && (body.delete_original === true || body.delete_original === 'true')) {
      this.workspace.messages.splice(this.workspace.messages.indexOf(source), 1);
    } else if (source && (body.replace_original === true || body.replace_original === 'true')) {
      source.text = String(body.text ?? '');
      source.blocks = withIds(body.blocks) ?? [];
      source.edited = true;
    } else {
      const inChannel = body.response_type === 'in_channel';
      this.workspace.post({
        channel: entry.channelId,
        user: BOT_USER.id,
        text: String(body.text ?? ''),
        ...(body.blocks ? { blocks: withIds(body.blocks)! } : {}),
        ...(inChannel ? {} : { visibleTo: entry.userId }),
        ...(body.thread_ts ? { thread_ts: String(body.thread_ts) } : {}),
      });
    }
    this.workspace.changed();
  }

  private responseUrl(entry: Omit<ResponseUrl, 'uses' | 'at'>): string {
    const id = randomUUID();
    this.responseUrls.set(id, { ...entry, uses: 0, at: Date.now() });
    return `${this.options.responseUrlBase()}${id}`;
  }

  private findView(viewId: string): OpenView | undefined {
    for (const stack of this.workspace.modals.values()) {
      const found = stack.find((v) => v.id === viewId);
      if (found) return found;
    }
    return [...this.workspace.homes.values()].find((v) => v.id === viewId);
  }

  /**
   * POSTs one signed request. Returns the bot's answer, or undefined when it failed or came
   * after Slack's 3 seconds; the person then sees Slack's error, as in Slack.
   */
  private async deliver(
    body: string,
    contentType: string,
    what: string,
    userId: string,
    channelId?: string,
  ): Promise<{ status: number; json: Json | null } | undefined> {
    const headers = { 'content-type': contentType, ...signSlackRequest(body, this.options.signingSecret, Math.floor(Date.now() / 1000)) };
    let failure: string;
    try {
      const response = await fetch(this.options.eventsUrl(), {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(ACK_TIMEOUT_MS),
      });
      const text = await response.text();
      if (response.ok) {
        try {
          return { status: response.status, json: text ? JSON.parse(text) : null };
        } catch {
          return { status: response.status, json: text ? { text } : null };
        }
      }
      failure = `http_error (${response.status})`;
    } catch (error) {
      failure = (error as Error).name === 'TimeoutError' ? 'operation_timeout' : `dispatch_failed (${(error as Error).message})`;
    }
    this.workspace.refuse(what, failure, ['the bot did not acknowledge within 3 seconds with HTTP 200; Slack shows the person an error']);
    if (channelId)
      this.workspace.post({
        channel: channelId,
        user: BOT_USER.id,
        visibleTo: userId,
        text: `:warning: ${what} failed with the error "${failure.split(' ')[0]}"`,
      });
    return undefined;
  }
}

function interaction(payload: Json): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

function messagePayload(m: Message): Json {
  return {
    type: 'message',
    user: m.user,
    ...(m.user === BOT_USER.id ? { bot_id: BOT_USER.botId, app_id: APP_ID } : {}),
    text: m.text,
    ts: m.ts,
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
  };
}
