import type { webApi } from '@slack/bolt';
import type { IncidentObserver } from '../../../app/ports/incident-observer';
import type { ChannelInvites } from '../../../app/ports/on-call-invites';
import type { IdempotencyMarks } from '../../../app/ports/run-once';
import { onCallAccounts, type Incident } from '../../../domain/incident';
import type { Logger } from '../../../logger';
import type { Metrics } from '../../../metrics';
import { describeSlackError } from './slack-errors';
import { channelTopic } from './views/channel-topic';

/** The title of the one bookmark that follows the latest report revision. */
const REPORT_BOOKMARK_TITLE = 'Incident report';
// Longer than an incident stays open for revisions; once it expires a revision adds a fresh bookmark.
const REPORT_BOOKMARK_TTL_MS = 90 * 86_400_000;

const isPerson = (id: string | null | undefined): id is string => typeof id === 'string' && /^[UW][A-Z0-9]+$/.test(id);

/**
 * Sets up a dedicated incident channel: topic (severity, status, commander) kept current,
 * bookmarks for the alert's runbook and dashboard, the GitHub issue and the report, and the
 * service's owners, the commander and the level-1 on-call invited. Each step failing is logged
 * and counted, never fatal.
 */
export class SlackChannelSetup implements IncidentObserver, ChannelInvites {
  readonly name = 'slack-channel-setup';

  constructor(
    private readonly client: webApi.WebClient,
    private readonly ownersOf: (service: string | null) => string[],
    private readonly log: Logger,
    private readonly metrics: Metrics,
    /** Remembers each incident's report bookmark id across replicas, so a revision moves it. */
    private readonly marks: IdempotencyMarks,
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

  /**
   * Points the channel's one "Incident report" bookmark at the report message just posted there:
   * added for the first report, moved (bookmarks.edit) for each revision, added again if a person
   * deleted it. An incident without its own channel gets none.
   */
  async bookmarkReport(incident: Incident, message: { channel: string; ts: string }): Promise<void> {
    try {
      await this.pointReportBookmark(incident, message);
    } catch (error) {
      // Only the remembered id (Redis) throws here; Slack failures are counted inside.
      this.log.warn({ err: error, incidentId: incident.id }, 'report bookmark: its id could not be read or kept; the report stands');
    }
  }

  private async pointReportBookmark(incident: Incident, message: { channel: string; ts: string }): Promise<void> {
    const channel = incident.channel?.id;
    if (!channel || message.channel !== channel) return;
    const found = await this.call('chat.getPermalink', () => this.client.chat.getPermalink({ channel, message_ts: message.ts }));
    if (!found?.permalink) return;
    const link = found.permalink;
    const mark = `report-bookmark:${incident.id}`;
    const remembered = await this.marks.get(mark);
    if (remembered) {
      const moved = await this.moveBookmark(channel, remembered, link);
      // Any failure but "gone" leaves the old bookmark in place: adding now would make two.
      if (moved !== 'gone') return;
    }
    const added = await this.bookmark(channel, REPORT_BOOKMARK_TITLE, link);
    if (added?.bookmark?.id) await this.marks.set(mark, added.bookmark.id, REPORT_BOOKMARK_TTL_MS);
  }

  private async moveBookmark(channel: string, bookmarkId: string, link: string): Promise<'moved' | 'gone' | 'failed'> {
    try {
      await this.client.bookmarks.edit({ channel_id: channel, bookmark_id: bookmarkId, title: REPORT_BOOKMARK_TITLE, link });
      return 'moved';
    } catch (error) {
      // Slack's answer for a bookmark someone removed by hand.
      if (describeSlackError(error).code === 'not_found') return 'gone';
      this.failed('bookmarks.edit', error);
      return 'failed';
    }
  }

  private setTopic(incident: Incident, channel: string): Promise<unknown> {
    return this.call('conversations.setTopic', () => this.client.conversations.setTopic({ channel, topic: channelTopic(incident) }));
  }

  private bookmark(channel: string, title: string, link: string) {
    return this.call('bookmarks.add', () =>
      this.client.bookmarks.add({ channel_id: channel, title: title.slice(0, 100), type: 'link', link }),
    );
  }

  private async call<T>(method: string, fn: () => Promise<T>): Promise<T | null> {
    try {
      return await fn();
    } catch (error) {
      // Inviting someone already in the channel is not a failure.
      if (describeSlackError(error).code !== 'already_in_channel') this.failed(method, error);
      return null;
    }
  }

  private failed(method: string, error: unknown): void {
    const failure = describeSlackError(error);
    this.metrics.slackErrors.inc({ method, error: failure.code });
    this.log.warn({ method, error: failure.code }, `channel setup: Slack ${method} failed: ${failure.userMessage}`);
  }
}
