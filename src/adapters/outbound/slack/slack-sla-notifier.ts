import { slaTargets } from '../../../app/sla/sla-targets';
import type { webApi } from '@slack/bolt';
import type { SlaAudience, SlaNotice, SlaNotifier, SlaTarget } from '../../../app/ports/sla-notifier';
import type { Incident } from '../../../domain/incident';
import type { Logger } from '../../../logger';
import type { Metrics } from '../../../metrics';
import type { RedisIncidentStore } from '../redis/redis-incident-store';
import type { SlackIncidentPublisher } from './slack-incident-publisher';
import { findOwnMessage, type MessageMetadata } from './find-own-message';
import { describeSlackError } from './slack-errors';
import { SLA_NOTICE_EVENT, slaNoticeMessage } from './views/sla-notice-message';
import { concealed } from '../../../domain/private-incident';
import { ACTIONS } from './ids';
import type { KnownBlock } from '@slack/types';

const REVEALS_NOTHING = new Set<string>([ACTIONS.acknowledge, ACTIONS.takeCommand]);

/**
 * Posts SLA notices in the incident's place: its dedicated channel, else a reply in the
 * announcement's thread (else the incident-response channel). Escalations also go top-level
 * in the incident-response channel, where people who are not in the incident will see them.
 */
export class SlackSlaNotifier implements SlaNotifier {
  private client: webApi.WebClient | null = null;
  /** Posts go through the publisher's client without automatic retries: the timer retries, after a lookup. */
  private poster: webApi.WebClient | null = null;
  private publisher: SlackIncidentPublisher | null = null;

  constructor(private readonly deps: { store: RedisIncidentStore; incidentChannel: string; metrics: Metrics; log: Logger }) {}

  /** The Slack client exists only once the app is built; timers start after that. */
  attach(client: webApi.WebClient, publisher: SlackIncidentPublisher): void {
    this.client = client;
    this.poster = publisher.postingClient;
    this.publisher = publisher;
  }

  targets(incident: Incident, audience: SlaAudience): SlaTarget[] {
    return slaTargets(incident, audience, this.deps.incidentChannel);
  }

  async postTo(target: SlaTarget, notice: SlaNotice, effectKey: string): Promise<void> {
    if (!this.poster) throw new Error('Slack is not ready yet');
    const message = this.messageFor(target, notice, effectKey);
    try {
      await this.poster.chat.postMessage({
        channel: target.channel,
        ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
        text: message.text,
        blocks: message.blocks,
        metadata: message.metadata,
        unfurl_links: false,
      });
    } catch (error) {
      const failure = describeSlackError(error);
      this.deps.metrics.slackErrors.inc({ method: 'chat.postMessage', error: failure.code });
      // Thrown on purpose: the timer retries with backoff, and runOnce keeps targets already posted from repeating.
      throw new Error(`Slack chat.postMessage to ${target.channel} failed: ${failure.userMessage}`);
    }
  }

  /**
   * Outside a private incident's channel a notice names no title, and keeps only the buttons that
   * show nothing of it (Acknowledge, Take command: the new commander is let into the channel).
   */
  private messageFor(target: SlaTarget, notice: SlaNotice, effectKey: string): ReturnType<typeof slaNoticeMessage> {
    const { incident } = notice;
    if (!incident.private || target.channel === incident.channel?.id) return slaNoticeMessage(notice, effectKey);
    const message = slaNoticeMessage({ ...notice, incident: concealed(incident) }, effectKey);
    const blocks = message.blocks.flatMap((block): KnownBlock[] => {
      if (block.type !== 'actions') return [block];
      const elements = block.elements.filter((e) => 'action_id' in e && REVEALS_NOTHING.has(e.action_id ?? ''));
      return elements.length ? [{ ...block, elements }] : [];
    });
    return { ...message, blocks };
  }

  /**
   * Looks for our message tagged effectKey in the channel (or the thread) since startedAt.
   * Any Slack error is rethrown, and the caller then posts again: a duplicate reminder is the
   * lesser harm than a missing one.
   */
  async wasPosted(target: SlaTarget, effectKey: string, startedAt: number): Promise<boolean> {
    if (!this.client) throw new Error('Slack is not ready yet');
    try {
      const query = {
        channel: target.channel,
        since: startedAt,
        match: (m: MessageMetadata) => m.event_type === SLA_NOTICE_EVENT && m.event_payload?.effect === effectKey,
      };
      return (await findOwnMessage(this.client, target.threadTs ? { ...query, threadTs: target.threadTs } : query)) !== null;
    } catch (error) {
      const failure = describeSlackError(error);
      const method = target.threadTs ? 'conversations.replies' : 'conversations.history';
      this.deps.metrics.slackErrors.inc({ method, error: failure.code });
      this.deps.log.warn(
        { err: error, channel: target.channel, effectKey },
        `could not check whether an SLA notice was already posted (${failure.userMessage}); posting it again`,
      );
      throw error;
    }
  }

  async refresh(incidentId: string): Promise<void> {
    try {
      const incident = await this.deps.store.get(incidentId);
      if (incident && this.publisher) await this.publisher.refresh(incident);
    } catch (error) {
      this.deps.log.warn({ err: error, incidentId }, 'announcement refresh after an SLA event failed');
    }
  }
}
