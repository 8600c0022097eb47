/**
 * Which Retry-After holds a Slack Web API call is subject to. Slack limits most methods per
 * workspace, and posting per channel as well: a 429 on a call that names a channel holds that
 * method in that channel only; a 429 on any other call holds the whole method.
 */
export interface SlackCallScopes {
  /** Checked before the call: any of them held means wait. */
  check: string[];
  /** Held after a 429 on the call. */
  holdOn429: string[];
}

export function slackCallScopes(url: string, body: unknown): SlackCallScopes {
  const method = methodOf(url);
  if (!method) return { check: [], holdOn429: [] };
  const channel = channelOf(body);
  if (!channel) return { check: [method], holdOn429: [method] };
  const inChannel = `${method}:${channel}`;
  return { check: [method, inChannel], holdOn429: [inChannel] };
}

function methodOf(url: string): string | null {
  const last = url.split('?')[0]!.split('/').pop() ?? '';
  return /^[a-zA-Z]+(\.[a-zA-Z]+)+$/.test(last) ? last : null;
}

/** The Web API client sends form-encoded bodies; JSON is accepted too. Anything else names no channel. */
function channelOf(body: unknown): string | null {
  if (typeof body !== 'string' || !body) return null;
  let channel: unknown;
  if (body.trimStart().startsWith('{')) {
    try {
      channel = (JSON.parse(body) as { channel?: unknown }).channel;
    } catch {
      return null;
    }
  } else {
    channel = new URLSearchParams(body).get('channel');
  }
  return typeof channel === 'string' && channel ? channel.replace(/^#/, '') : null;
}
