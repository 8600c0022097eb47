/** Slack Web API errors mapped, through one table, to what a person should be told. */
const USER_MESSAGES: Record<string, string> = {
  channel_not_found: 'the channel was not found; check `channels.incident_response` in the config and that the bot can see it',
  not_in_channel: 'the bot is not in that channel; invite it with `/invite @incident-bot`',
  is_archived: 'the channel is archived',
  invalid_blocks: 'Slack refused the message layout (a bug; please report it)',
  msg_too_long: 'the message was too long for Slack',
  ratelimited: 'Slack is rate-limiting the bot; it will retry',
  expired_trigger_id: 'the form took too long to open; try again',
  missing_scope: 'the Slack app lacks a permission; reinstall it from manifest.yml',
  not_authed: 'the bot token is missing or wrong',
  invalid_auth: 'the bot token is missing or wrong',
  account_inactive: 'the bot token was revoked',
  restricted_action: 'a workspace setting blocks this action',
  name_taken: 'that channel name is taken',
};

export interface SlackFailure {
  code: string;
  userMessage: string;
}

/** Works for @slack/web-api errors (platform, HTTP, request, rate-limited) and anything else. */
export function describeSlackError(error: unknown): SlackFailure {
  const e = error as { code?: string; data?: { error?: string }; statusCode?: number; message?: string };
  const code =
    e?.data?.error ??
    (e?.code === 'slack_webapi_rate_limited_error'
      ? 'ratelimited'
      : e?.code === 'slack_webapi_http_error'
        ? `http_${e.statusCode ?? 'error'}`
        : e?.code === 'slack_webapi_request_error'
          ? 'unreachable'
          : 'unknown');
  const userMessage = USER_MESSAGES[code] ?? (code === 'unreachable' ? 'Slack could not be reached' : `Slack answered "${code}"`);
  return { code, userMessage };
}

/**
 * Failures where Slack did not take the call (outage, overload, rate limit, no answer): worth
 * queueing and trying again. Anything else (a missing channel, a bad layout) will not heal itself.
 */
export function slackDidNotTake(code: string): boolean {
  return (
    code === 'ratelimited' ||
    code === 'unreachable' ||
    /^http_/.test(code) ||
    ['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout'].includes(code)
  );
}
