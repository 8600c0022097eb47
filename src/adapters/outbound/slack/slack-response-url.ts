import type { ClickReplies } from '../../../app/ports/rollback-messenger';
import type { Phrase } from '../../../domain/phrase';
import { redactText } from '../../../domain/redaction/redact-text';
import { slackText } from './views/slack-text';

/**
 * Posts an ephemeral answer to a click's response_url, as Bolt's `respond` does, but usable
 * after a restart when no Bolt request is at hand. Only http(s) URLs: the value came from a
 * signed Slack payload, but is still not a place to send arbitrary requests. The text is
 * redacted like everything the Web API client sends.
 */
export class SlackResponseUrl implements ClickReplies {
  constructor(
    private readonly secrets: readonly string[] = [],
    private readonly timeoutMs = 10_000,
  ) {}

  async reply(replyTo: string, message: Phrase): Promise<void> {
    const text = redactText(slackText(message), this.secrets);
    const url = new URL(replyTo);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`response_url with protocol ${url.protocol} refused`);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!response.ok) throw new Error(`response_url answered ${response.status}`);
  }
}
