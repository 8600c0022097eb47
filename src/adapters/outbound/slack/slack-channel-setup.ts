import type { webApi } from '@slack/bolt';
import type { IncidentObserver } from '../../../app/ports/incident-observer';
import type { ChannelInvites } from '../../../app/ports/on-call-invites';
import { onCallAccounts, type Incident } from '../../../domain/incident';
import type { Logger } from '../../../logger';
import type { Metrics } from '../../../metrics';
import { describeSlackError } from './slack-errors';
import { channelTopic } from './views/channel-topic';

const isPerson = (id: string | null | undefined): id is string => typeof id === 'string' && /^[UW][A-Z0-9]+$/.test(id);

/**
 * Sets up a dedicated incident channel: topic (severity, status, commander) kept current,
 * bookmarks for the alert's runbook and dashboard and the GitHub issue, and the service's
 * owners, the commander and the level-1 on-call invited. Each step failing is logged and
 * counted, never fatal.
 */
export class SlackChannelSetup implements IncidentObserver, ChannelInvites {
  readonly name = 'slack-channel-setup';

  constructor(
    private readonly client: webApi.WebClient,
    private readonly ownersOf: (service: string | null) => string[],
    private readonly log: Logger,
    private readonly metrics: Metrics,
  ) {}

  /** Called once the channel exists (the publisher creates it). */
  async created(incident: Incident, channel: string): Promise<void> {
    await this.setTopic(incident, channel);
    // The on-call known by now (looked up before the channel existed); one found later is invited by the lookup.
    const wanted = [...this.ownersOf(incident.service), incident.commander, ...onCallAccounts(incident.oncall ?? null)];
    const people = [...new Set(wanted.filter(isPerson))].filter((u) => u !== incident.openedBy);
    // A drill pages nobody; it does not pull the service's owners into a channel either.
    if (!incident.drill) await this.invite(channel, people);
    for (const link of incident.alertContext?.links ?? []) {
      if (link.kind === 'runbook' || link.kind === 'dashboard') await this.bookmark(channel, link.title, link.url);
    }
    if (incident.github) await this.bookmark(channel, `GitHub issue #${incident.github.issueNumber}`, incident.github.url);
  }

  async changed(incident: Incident, _events: unknown, previous: Incident): Promise<void> {
    const channel = incident.channel?.id;
    if (!channel || !previous.channel) return; // a new channel is set up by created()
    if (channelTopic(previous) !== channelTopic(incident)) await this.setTopic(incident, channel);
    if (incident.commander !== previous.commander && isPerson(incident.commander)) {
      await this.call('conversations.invite', () => this.client.conversations.invite({ channel, users: incident.commander! }));
    }
    if (incident.github && !previous.github)
      await this.bookmark(channel, `GitHub issue #${incident.github.issueNumber}`, incident.github.url);
  }

  async invite(channel: string, users: readonly string[]): Promise<void> {
    const people = users.filter(isPerson);
    if (people.length)
      await this.call('conversations.invite', () => this.client.conversations.invite({ channel, users: people.join(',') }));
  }

  private setTopic(incident: Incident, channel: string): Promise<unknown> {
    return this.call('conversations.setTopic', () => this.client.conversations.setTopic({ channel, topic: channelTopic(incident) }));
  }

  private bookmark(channel: string, title: string, link: string): Promise<unknown> {
    return this.call('bookmarks.add', () =>
      this.client.bookmarks.add({ channel_id: channel, title: title.slice(0, 100), type: 'link', link }),
    );
  }

  private async call<T>(method: string, fn: () => Promise<T>): Promise<T | null> {
    try {
      return await fn();
    } catch (error) {
      const failure = describeSlackError(error);
      // Inviting someone already in the channel is not a failure.
      if (failure.code === 'already_in_channel') return null;
      this.metrics.slackErrors.inc({ method, error: failure.code });
      this.log.warn({ method, error: failure.code }, `channel setup: Slack ${method} failed: ${failure.userMessage}`);
      return null;
    }
  }
}
