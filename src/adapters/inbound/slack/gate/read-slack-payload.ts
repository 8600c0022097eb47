import { refuse, type Result } from '../../../../domain/result';

export type SlackPayloadKind = 'command' | 'interaction' | 'event' | 'url_verification' | 'ssl_check';

export interface SlackPayloadFacts {
  kind: SlackPayloadKind;
  /** The workspace the request is for (absent only for org-wide installs and checks). */
  teamId: string | null;
  appId: string | null;
  enterpriseInstall: boolean;
}

export const FORM = 'application/x-www-form-urlencoded';
export const JSON_TYPE = 'application/json';

// Interaction types Bolt routes; each has the field Bolt reads first, so a payload without it
// is refused here instead of throwing inside Bolt or waiting out its 3 s "unhandled" timer.
const INTERACTIONS: Record<string, (p: Record<string, unknown>) => boolean> = {
  block_actions: (p) => Array.isArray(p.actions) && p.actions.length > 0 && p.actions.every(isObject),
  block_suggestion: (p) => typeof p.action_id === 'string',
  view_submission: (p) => isObject(p.view) && typeof p.view.callback_id === 'string',
  view_closed: (p) => isObject(p.view) && typeof p.view.callback_id === 'string',
  shortcut: (p) => typeof p.callback_id === 'string',
  message_action: (p) => typeof p.callback_id === 'string',
  interactive_message: (p) => typeof p.callback_id === 'string',
  dialog_submission: (p) => typeof p.callback_id === 'string',
  dialog_cancellation: (p) => typeof p.callback_id === 'string',
  dialog_suggestion: (p) => typeof p.callback_id === 'string',
};

/**
 * What a signed body is and whom it is for, or why it is refused. Slack sends slash commands
 * and interactivity as forms (interactivity as JSON in `payload`), Events API as JSON. Pure:
 * the gate answers 400 with the reason when this refuses.
 */
export function readSlackPayload(mediaType: string, raw: string): Result<{ facts: SlackPayloadFacts }> {
  if (mediaType === FORM) {
    const form = new URLSearchParams(raw);
    if (form.get('ssl_check') === '1') return ok('ssl_check', null, null, false);
    const payload = form.get('payload');
    if (payload !== null) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(payload);
      } catch {
        return refuse('slack.malformed_payload', 'The `payload` field is not JSON.');
      }
      if (!isObject(parsed) || !Object.hasOwn(parsed, 'type') || typeof parsed.type !== 'string')
        return refuse('slack.malformed_payload', 'The interaction payload has no `type`.');
      const shape = INTERACTIONS[parsed.type];
      if (!shape) return refuse('slack.unknown_payload', `Interaction type "${parsed.type.slice(0, 40)}" is not one this app handles.`);
      if (!shape(parsed)) return refuse('slack.malformed_payload', `The ${parsed.type} payload lacks the fields Slack always sends.`);
      const team = isObject(parsed.team) && typeof parsed.team.id === 'string' ? parsed.team.id : text(parsed.team_id);
      return ok('interaction', team, text(parsed.api_app_id), parsed.is_enterprise_install === true);
    }
    const command = form.get('command');
    if (command !== null) {
      if (!command.startsWith('/')) return refuse('slack.malformed_payload', 'The `command` field is not a slash command.');
      return ok('command', form.get('team_id'), form.get('api_app_id'), form.get('is_enterprise_install') === 'true');
    }
    return refuse('slack.unknown_payload', 'The form carries neither `payload` nor `command`.');
  }
  if (mediaType === JSON_TYPE) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return refuse('slack.malformed_payload', 'The body is not JSON.');
    }
    if (!isObject(parsed) || typeof parsed.type !== 'string') return refuse('slack.malformed_payload', 'The event body has no `type`.');
    if (parsed.type === 'url_verification') return ok('url_verification', null, null, false);
    if (parsed.type !== 'event_callback' && parsed.type !== 'app_rate_limited')
      return refuse('slack.unknown_payload', `Event envelope "${parsed.type.slice(0, 40)}" is not one this app handles.`);
    if (parsed.type === 'event_callback' && (!isObject(parsed.event) || typeof parsed.event.type !== 'string'))
      return refuse('slack.malformed_payload', 'The event_callback has no `event.type`.');
    return ok('event', text(parsed.team_id), text(parsed.api_app_id), parsed.is_enterprise_install === true);
  }
  return refuse('slack.unsupported_media_type', `Content-Type must be ${FORM} or ${JSON_TYPE}.`);
}

function ok(
  kind: SlackPayloadKind,
  teamId: string | null,
  appId: string | null,
  enterpriseInstall: boolean,
): Result<{ facts: SlackPayloadFacts }> {
  return { ok: true, facts: { kind, teamId, appId, enterpriseInstall } };
}

// biome-ignore lint/suspicious/noExplicitAny: a guard for untrusted JSON whose fields are each checked where read
function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value ? value : null;
}

/** The media type of a Content-Type header, lower case, without parameters. */
export function mediaTypeOf(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}
