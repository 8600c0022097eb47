import { createHmac, randomUUID } from 'node:crypto';

export const TEST_SIGNING_SECRET = 'test-signing-secret-0123456789';

/** Signs exactly as Slack does: v0=HMAC-SHA256(secret, "v0:{ts}:{raw body}"). */
export function slackSignature(body: string, timestamp: number, secret = TEST_SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SendOptions {
  secret?: string;
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
  retryNum?: number;
  signature?: string | null;
  contentType?: string;
}

export interface SlackResponse {
  status: number;
  text: string;
  json: any;
}

/** POSTs a raw body to /slack/events with Slack's headers. */
export async function postToSlackEndpoint(baseUrl: string, body: string, options: SendOptions = {}): Promise<SlackResponse> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
  };
  const signature = options.signature === undefined ? slackSignature(body, timestamp, options.secret) : options.signature;
  if (signature !== null) headers['x-slack-signature'] = signature;
  if (options.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(options.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  const response = await fetch(`${baseUrl}/slack/events`, { method: 'POST', headers, body });
  const text = await response.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: response.status, text, json };
}

/**
 * An Events API delivery (`event_callback`) posted and signed as Slack does; the same `eventId`
 * with `retryNum` is Slack's retry of it. Without an id, each delivery gets a new one.
 */
export function deliverEvent(
  baseUrl: string,
  event: Record<string, unknown>,
  options: { eventId?: string; retryNum?: number } = {},
): Promise<SlackResponse> {
  const body = JSON.stringify({
    token: 't',
    team_id: 'T0TEAM',
    api_app_id: 'A0APP',
    type: 'event_callback',
    event_id: options.eventId ?? `Ev${randomUUID().replaceAll('-', '').slice(0, 12)}`,
    event_time: Math.floor(Date.now() / 1000),
    event,
  });
  return postToSlackEndpoint(baseUrl, body, {
    contentType: 'application/json',
    ...(options.retryNum !== undefined ? { retryNum: options.retryNum } : {}),
  });
}

export interface CommandFields {
  text: string;
  user_id?: string;
  channel_id?: string;
  trigger_id?: string;
  response_url: string;
}

/** The form body of a slash command, as Slack sends it. */
export function commandBody(fields: CommandFields): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: 'T0TEAM',
    team_domain: 'example',
    channel_id: fields.channel_id ?? 'C0GENERAL',
    channel_name: 'general',
    user_id: fields.user_id ?? 'U0ALICE',
    user_name: 'alice',
    command: '/incident',
    text: fields.text,
    api_app_id: 'A0APP',
    is_enterprise_install: 'false',
    response_url: fields.response_url,
    trigger_id: fields.trigger_id ?? `${Date.now()}.${randomUUID()}`,
  }).toString();
}

/** The form body of an interactivity payload (block_actions, view_submission, message_action). */
export function interactionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export function blockActionPayload(opts: {
  actionId: string;
  value: string;
  user?: string;
  responseUrl: string;
  channel?: string;
  messageTs?: string;
  metadata?: Record<string, unknown>;
}) {
  return {
    type: 'block_actions',
    team: { id: 'T0TEAM', domain: 'example' },
    user: { id: opts.user ?? 'U0ALICE', username: 'alice', team_id: 'T0TEAM' },
    api_app_id: 'A0APP',
    token: 'legacy-verification-token',
    trigger_id: `${Date.now()}.${randomUUID()}`,
    container: { type: 'message', message_ts: opts.messageTs ?? '1.0', channel_id: opts.channel ?? 'C0INCIDENT', is_ephemeral: false },
    channel: { id: opts.channel ?? 'C0INCIDENT', name: 'incident-response' },
    message: { type: 'message', ts: opts.messageTs ?? '1.0', text: 'announcement', ...(opts.metadata ? { metadata: opts.metadata } : {}) },
    response_url: opts.responseUrl,
    actions: [
      {
        type: 'button',
        action_id: opts.actionId,
        block_id: 'incident_actions',
        value: opts.value,
        text: { type: 'plain_text', text: 'x' },
        action_ts: String(Date.now() / 1000),
      },
    ],
  };
}

/** A view_submission for a modal the bot opened; `values` is view.state.values. */
export function viewSubmissionPayload(opts: {
  callbackId: string;
  values: Record<string, Record<string, unknown>>;
  viewId?: string;
  user?: string;
  privateMetadata?: string;
}) {
  return {
    type: 'view_submission',
    team: { id: 'T0TEAM', domain: 'example' },
    user: { id: opts.user ?? 'U0ALICE', username: 'alice', team_id: 'T0TEAM' },
    api_app_id: 'A0APP',
    token: 'legacy-verification-token',
    trigger_id: `${Date.now()}.${randomUUID()}`,
    view: {
      id: opts.viewId ?? `V${randomUUID().slice(0, 8).toUpperCase()}`,
      team_id: 'T0TEAM',
      type: 'modal',
      callback_id: opts.callbackId,
      private_metadata: opts.privateMetadata ?? '',
      hash: '1.abc',
      state: { values: opts.values },
      blocks: [],
    },
  };
}
