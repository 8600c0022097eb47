import type { KnownBlock } from '@slack/types';
import type { webApi } from '@slack/bolt';
import type { Incident } from '../../../domain/incident';
import type { Logger } from '../../../logger';
import { describeSlackError } from './slack-errors';

/**
 * Posts in an incident's place: its dedicated channel, else the thread under its
 * announcement, else the incident-response channel (a private incident: its channel, else the opener).
 */
export class IncidentPlacePoster {
  constructor(
    private readonly client: webApi.WebClient,
    private readonly incidentChannel: string,
    private readonly log: Logger,
  ) {}

  private target(incident: Incident): { channel: string; thread_ts?: string } {
    if (incident.channel) return { channel: incident.channel.id };
    // A private incident whose channel could not be made: its detail goes to the opener, never outside.
    if (incident.private) return { channel: incident.openedBy };
    if (incident.announcement) return { channel: incident.announcement.channel, thread_ts: incident.announcement.ts };
    return { channel: this.incidentChannel };
  }

  /** One message; a Slack failure is logged and reported as false, never thrown. */
  async post(incident: Incident, text: string): Promise<boolean> {
    try {
      await this.client.chat.postMessage({ ...this.target(incident), text, unfurl_links: false });
      return true;
    } catch (error) {
      this.log.warn({ incidentId: incident.id, error: describeSlackError(error).code }, 'could not post in the incident channel');
      return false;
    }
  }

  /**
   * A message with blocks (the report): where it landed, or a Slack failure logged and
   * returned as its reason.
   */
  async postBlocks(
    incident: Incident,
    message: { text: string; blocks: KnownBlock[] },
  ): Promise<{ posted?: { channel: string; ts: string }; error?: string }> {
    try {
      const answer = await this.client.chat.postMessage({
        ...this.target(incident),
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
        unfurl_media: false,
      });
      return answer.channel && answer.ts ? { posted: { channel: answer.channel, ts: answer.ts } } : {};
    } catch (error) {
      const failure = describeSlackError(error);
      this.log.warn({ incidentId: incident.id, error: failure.code }, 'could not post the report');
      return { error: failure.userMessage };
    }
  }
}
