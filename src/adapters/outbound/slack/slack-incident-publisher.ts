import type { webApi } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type { IncidentObserver, OpenOptions } from '../../../app/ports/incident-observer';
import type { IncidentService } from '../../../app/incident-service';
import { randomUUID } from 'node:crypto';
import type { PostQueue } from '../../../app/ports/post-queue';
import type { Incident } from '../../../domain/incident';
import type { TimelineEventInput } from '../../../domain/timeline';
import type { Logger } from '../../../logger';
import type { Metrics } from '../../../metrics';
import type { RedisIdempotency } from '../redis/redis-idempotency';
import { formatDuration } from '../../../domain/duration';
import { incidentChannelName, incidentIdOfChannelName, isPrivateChannelNameOf } from './channel-name';
import { CoalescingRefresher, type DrawKind, type DrawResult } from './coalescing-refresher';
import { findOwnMessage, isChannelId } from './find-own-message';
import { describeSlackError } from './slack-errors';
import { announcementView } from './views/announcement-view';
import type { ButtonSpec } from './views/block-kit';
import { lifecycleMessage, lifecycleMove } from './views/lifecycle-message';
import { statusUpdateMessage } from './views/status-update-message';
import { slackText } from './views/slack-text';
import { escapeMrkdwn } from './views/block-kit';
import { StatusUpdateOutbox, type PostTarget, type QueuedPost } from './status-update-outbox';
import { privateAnnouncementView } from './views/private-announcement-view';
import { concealed } from '../../../domain/private-incident';

type SlackMessage = { text: string; blocks: KnownBlock[] };

export interface PublisherOptions {
  incidentChannel: string;
  channelPrefix: string;
  createChannelByDefault: boolean;
  /** Announcement posts and updates are paced to one per channel per this interval (0 = unpaced). */
  minIntervalMs?: number;
  /**
   * The client for calls that are not idempotent (posts, channel creation): without automatic
   * retries, since Slack may have acted before a 5xx or a timeout. Retries happen here instead,
   * after looking for the message (announcements) or by telling the person (status updates).
   */
  postClient?: webApi.WebClient;
  /** How often announcements that could not be posted, and queued status updates, are tried again (0 = only at start). */
  retryMissingEveryMs?: number;
  /** Where status updates Slack did not take wait, in order, for the next try (none: the person is told to post again). */
  statusQueue?: PostQueue<QueuedPost>;
  /** Sets up a channel once created: topic, bookmarks, invitations. */
  channelSetup?: { created(incident: Incident, channel: string): Promise<void> };
}

const ANNOUNCE_CLAIM_MS = 5 * 60_000;
// How long a posted announcement (and an unfinished try) is remembered, and a learned channel id.
const ANNOUNCE_TTL_MS = 7 * 86_400_000;
const CHANNEL_ID_TTL_MS = 30 * 86_400_000;
// Channel listing pages read per orphan sweep (1,000 channels each).
const ORPHAN_SCAN_PAGES = 10;

/** Slack refused the post: what the pacer should do about it (retry after a 429, or a notice). */
class AnnouncementRefused extends Error {
  constructor(readonly result: DrawResult) {
    super('announcement refused');
  }
}
/** Message metadata of an announcement; its payload names the incident. */
export const ANNOUNCEMENT_EVENT = 'incident_announcement';
/** Message metadata of a status update post; its payload names the incident and the post. */
export const STATUS_UPDATE_EVENT = 'incident_status_update';
export const UPDATE_QUEUED_NOTICE = 'Slack did not take the update; it is queued and will be posted when Slack answers.';
// Bolt has already acknowledged the click; this only bounds how long a refusal notice may take.
const PERSON_NOTICE_WAIT_MS = 2_000;

/**
 * Keeps Slack in step with stored incidents: one announcement per incident in the
 * incident-response channel (updated in place), optional dedicated channels, and
 * status updates in the status-update template.
 */
export class SlackIncidentPublisher implements IncidentObserver {
  readonly name = 'slack';
  private readonly pacer: CoalescingRefresher;
  private readonly poster: webApi.WebClient;
  private sweeper: NodeJS.Timeout | null = null;
  private ownUser: string | null = null;
  private readonly buttonSources: ((incident: Incident) => ButtonSpec[])[] = [];
  private readonly outbox: StatusUpdateOutbox | null;
  private readonly announcedListeners: ((incidentId: string) => void)[] = [];

  constructor(
    private readonly client: webApi.WebClient,
    private readonly service: IncidentService,
    private readonly idempotency: RedisIdempotency,
    private readonly options: PublisherOptions,
    private readonly log: Logger,
    private readonly metrics: Metrics,
  ) {
    this.poster = options.postClient ?? client;
    this.pacer = new CoalescingRefresher({ minIntervalMs: options.minIntervalMs ?? 1000, draw: (kind, id) => this.draw(kind, id), log });
    this.outbox = options.statusQueue
      ? new StatusUpdateOutbox({
          queue: options.statusQueue,
          post: (item) => this.postQueued(item),
          alreadyPosted: (item) => this.findQueued(item),
          log,
        })
      : null;
  }

  private async postQueued(item: QueuedPost): Promise<{ ok: true } | { ok: false; code: string; userMessage: string }> {
    const metadata = { event_type: STATUS_UPDATE_EVENT, event_payload: { incident_id: item.incidentId, post_id: item.id } };
    const posted = await this.call('chat.postMessage', () =>
      this.poster.chat.postMessage({ ...item.target, text: item.text, blocks: item.blocks, metadata }),
    );
    return posted.ok ? { ok: true } : posted;
  }

  private async findQueued(item: QueuedPost): Promise<boolean> {
    const { channel, thread_ts } = item.target;
    if (!isChannelId(channel)) return false;
    const found = await findOwnMessage(this.client, {
      channel,
      ...(thread_ts ? { threadTs: thread_ts } : {}),
      since: item.queuedAt,
      match: (m) => m.event_type === STATUS_UPDATE_EVENT && m.event_payload?.post_id === item.id,
    });
    return found !== null;
  }

  /** Delivers status updates queued during a Slack outage, in order per incident. */
  async deliverQueuedUpdates(): Promise<number> {
    return this.outbox ? this.outbox.deliverQueued() : 0;
  }

  /** Calls Slack; on error logs the method, counts it and returns the failure instead of throwing. */
  private async call<T>(
    method: string,
    fn: () => Promise<T>,
  ): Promise<{ ok: true; value: T } | { ok: false; code: string; userMessage: string; retryAfterMs?: number }> {
    try {
      return { ok: true, value: await fn() };
    } catch (error) {
      const failure = describeSlackError(error);
      this.metrics.slackErrors.inc({ method, error: failure.code });
      this.log.warn({ method, error: failure.code }, `Slack ${method} failed: ${failure.userMessage}`);
      const retryAfter = (error as { retryAfter?: number }).retryAfter;
      return { ok: false, ...failure, ...(typeof retryAfter === 'number' ? { retryAfterMs: retryAfter * 1000 } : {}) };
    }
  }

  /** Tells a feature that an announcement is in Slack (the signal chart goes under it, never ahead of it). */
  onAnnounced(listener: (incidentId: string) => void): void {
    this.announcedListeners.push(listener);
  }

  /** Lets a feature add buttons to the announcement of an open incident (e.g. "Propose rollback"). */
  addAnnouncementButtons(source: (incident: Incident) => ButtonSpec[]): void {
    this.buttonSources.push(source);
  }

  private extraButtons(incident: Incident): ButtonSpec[] {
    return this.buttonSources.flatMap((source) => source(incident));
  }

  /** Waits until every queued announcement post and update went out (tests, shutdown). */
  idle(timeoutMs?: number): Promise<boolean> {
    return this.pacer.idle(timeoutMs);
  }

  /** The client without automatic retries, for other adapters' posts (SLA notices). */
  get postingClient(): webApi.WebClient {
    return this.poster;
  }

  /** Announcements that could not be posted (Slack down, a lost answer) are tried again on this beat. */
  startRetrying(): void {
    const every = this.options.retryMissingEveryMs ?? 0;
    if (!every || this.sweeper) return;
    this.sweeper = setInterval(() => {
      void this.announceMissing().catch((error: unknown) => this.log.warn({ err: error }, 'announcement retry sweep failed'));
      void this.attachOrphanChannels().catch((error: unknown) => this.log.warn({ err: error }, 'orphan channel sweep failed'));
      void this.deliverQueuedUpdates().catch((error: unknown) => this.log.warn({ err: error }, 'queued status update sweep failed'));
    }, every);
    this.sweeper.unref();
  }

  stop(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
    this.pacer.stop();
  }

  private draw(kind: DrawKind, incidentId: string): Promise<DrawResult> {
    return kind === 'announce' ? this.postAnnouncement(incidentId) : this.updateAnnouncement(incidentId);
  }

  async opened(incident: Incident, options: OpenOptions): Promise<string | void> {
    const notices: string[] = [];
    // A private incident's detail has no other place: it always gets its (private) channel.
    const wantsChannel = Boolean(incident.private) || (options.createChannel ?? this.options.createChannelByDefault);
    if (wantsChannel) {
      const notice = await this.createChannel(incident);
      if (notice) notices.push(notice);
    }
    if (incident.source !== 'slack') {
      // Nobody reads a notice on an alert delivery, and the sender must be answered quickly.
      void this.announce(incident.id);
      return notices.join(' ') || undefined;
    }
    const notice = await this.announce(incident.id);
    if (notice) notices.push(notice);
    return notices.join(' ') || undefined;
  }

  /**
   * Posts the announcement once per incident, whichever replica or retry gets here first,
   * paced with the channel's other posts. Resolves once posted (with a notice on failure).
   */
  announce(incidentId: string): Promise<string | void> {
    return this.pacer.announce(this.options.incidentChannel, incidentId);
  }

  /**
   * One announcement per incident through runOnce (the mechanism the SLA notices use): a claim
   * makes it exclusive across replicas, a failed post releases it for the retry sweep, and a
   * try after one that did not finish (a crash, a lost answer after Slack acted) first looks
   * for the announcement in the channel (tagged with the incident id) and adopts it.
   */
  private async postAnnouncement(incidentId: string): Promise<DrawResult> {
    const incident = await this.service.get(incidentId);
    // Folded into an alert storm before its turn came: the storm's announcement speaks for it.
    if (!incident || incident.announcement || incident.mergedInto) return { outcome: 'skipped' };
    try {
      const result = await this.idempotency.once(`announce:${incidentId}`, ANNOUNCE_TTL_MS, () => this.postNew(incident), {
        claimMs: ANNOUNCE_CLAIM_MS,
        alreadyHappened: (startedAt) => this.adoptEarlier(incidentId, startedAt),
      });
      // Adopted from an earlier try, or another replica holds it: nothing more to draw here.
      return result.outcome === 'ran' ? result.value : { outcome: 'skipped' };
    } catch (error) {
      if (error instanceof AnnouncementRefused) return error.result;
      throw error;
    }
  }

  /** The announcement as #incident-response shows it: a private incident's only says that it exists. */
  private announcementOf(incident: Incident): SlackMessage {
    if (incident.private) return privateAnnouncementView(incident);
    return announcementView({
      incident,
      sla: this.service.sla(incident),
      now: this.service.now(),
      extraButtons: this.extraButtons(incident),
    });
  }

  /** Posts it; a refusal throws (runOnce then frees the claim for a later try). */
  private async postNew(incident: Incident): Promise<DrawResult> {
    const view = this.announcementOf(incident);
    const posted = await this.call('chat.postMessage', () =>
      this.poster.chat.postMessage({
        channel: this.options.incidentChannel,
        text: view.text,
        blocks: view.blocks,
        metadata: { event_type: ANNOUNCEMENT_EVENT, event_payload: { incident_id: incident.id } },
        unfurl_links: false,
      }),
    );
    if (!posted.ok) {
      if (posted.retryAfterMs !== undefined) throw new AnnouncementRefused({ outcome: 'retry', retryAfterMs: posted.retryAfterMs });
      const retry = this.options.retryMissingEveryMs ? `; it is tried again every ${formatDuration(this.options.retryMissingEveryMs)}` : '';
      throw new AnnouncementRefused({
        outcome: 'drawn',
        notice: `${incident.id} is recorded, but its announcement could not be posted: ${posted.userMessage}${retry}.`,
      });
    }
    const ref = { channel: posted.value.channel as string, ts: posted.value.ts as string };
    await this.adoptAnnouncement(incident.id, ref);
    // Someone may have changed the incident between our read and the post: draw it once more.
    const latest = await this.service.get(incident.id);
    if (latest && latest.version !== incident.version + 1) void this.pacer.refresh(ref.channel, incident.id);
    return { outcome: 'drawn' };
  }

  private async adoptAnnouncement(incidentId: string, ref: { channel: string; ts: string }): Promise<void> {
    this.pacer.alias(ref.channel, this.options.incidentChannel);
    // Learned once: the history lookup needs the channel's id, and the config may name it.
    await this.idempotency.set(`channel-id:${this.options.incidentChannel}`, ref.channel, CHANNEL_ID_TTL_MS);
    await this.service.recordAnnouncement(incidentId, ref);
    for (const listener of this.announcedListeners) listener(incidentId);
  }

  /** runOnce's lookup: an earlier try's announcement in the channel is adopted (and redrawn from the stored state). */
  private async adoptEarlier(incidentId: string, startedAt: number): Promise<boolean> {
    const named = this.options.incidentChannel;
    const channel = isChannelId(named) ? named : await this.idempotency.get(`channel-id:${named}`);
    if (!channel) {
      this.log.warn(
        { incidentId, channel: named },
        'cannot look for an earlier announcement: the channel id is not known yet (set channels.incident_response to its id); posting',
      );
      return false;
    }
    const found = await this.call('conversations.history', () =>
      findOwnMessage(this.client, {
        channel,
        since: Number(startedAt),
        match: (m) => m.event_type === ANNOUNCEMENT_EVENT && m.event_payload?.incident_id === incidentId,
      }),
    );
    // A failed lookup is logged by call(); posting again beats no announcement.
    if (!found.ok || !found.value) return false;
    this.log.info({ incidentId, ts: found.value.ts }, 'found the announcement an earlier try posted; adopting it instead of posting again');
    await this.adoptAnnouncement(incidentId, found.value);
    void this.pacer.refresh(found.value.channel, incidentId);
    return true;
  }

  /**
   * Attaches channels created for an incident whose record of them was lost (the store failed
   * right after conversations.create): found by the incident id in their name, so the incident
   * gets the channel it already has instead of a second one.
   *
   * Public and private channels are listed (a private one only if the bot is in it). What may
   * match, so a private incident's detail never lands in a channel someone else chose: (1) a
   * public incident takes only a public channel; (2) a private incident only a private channel
   * with exactly its private name (`…-private`, `-private-2` …) (3) that the bot itself created.
   */
  async attachOrphanChannels(): Promise<number> {
    const without = new Map<string, { private: boolean }>();
    await this.service.eachOpen(async (page) => {
      for (const incident of page) {
        if (!incident.channel && (await this.idempotency.get(`channel-wanted:${incident.id}`)))
          without.set(incident.id, { private: Boolean(incident.private) });
      }
    });
    if (!without.size) return 0;
    const botUser = [...without.values()].some((i) => i.private) ? await this.botUserId() : null;
    const found = new Map<string, { id: string; name: string; created: number; private: boolean }>();
    let cursor: string | undefined;
    for (let page = 0; page < ORPHAN_SCAN_PAGES; page++) {
      const listed = await this.call('conversations.list', () =>
        this.client.conversations.list({
          types: 'public_channel,private_channel',
          exclude_archived: true,
          limit: 1000,
          ...(cursor ? { cursor } : {}),
        }),
      );
      if (!listed.ok) return 0;
      for (const channel of listed.value.channels ?? []) {
        const incidentId = channel.name && channel.id ? incidentIdOfChannelName(this.options.channelPrefix, channel.name) : null;
        const wanted = incidentId ? without.get(incidentId) : undefined;
        if (!incidentId || !wanted) continue;
        const isPrivate = Boolean(channel.is_private);
        if (isPrivate !== wanted.private) continue;
        if (
          wanted.private &&
          (!isPrivateChannelNameOf(this.options.channelPrefix, incidentId, channel.name!) || !botUser || channel.creator !== botUser)
        )
          continue;
        const earlier = found.get(incidentId);
        // Retries after name_taken add -2, -3 …: the first one created is the one to keep.
        if (!earlier || (channel.created ?? 0) < earlier.created)
          found.set(incidentId, { id: channel.id!, name: channel.name!, created: channel.created ?? 0, private: isPrivate });
      }
      cursor = listed.value.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    for (const [incidentId, channel] of found) {
      const attached = await this.service.attachChannel(
        incidentId,
        { id: channel.id, name: channel.name },
        `${channel.private ? 'Private channel' : 'Channel'} #${channel.name} found again and attached (its creation was not recorded)`,
        { keepExisting: true },
      );
      if (!attached.ok) continue;
      await this.service.linkChannel(channel.id, incidentId);
      // The opener was to be invited right after the creation that was not recorded.
      await this.inviteOpener(attached.incident, channel.id);
      await this.options.channelSetup?.created(attached.incident, channel.id);
      this.log.info({ incidentId, channel: channel.id }, 'attached an incident channel whose creation was not recorded');
    }
    return found.size;
  }

  /** A person who opened the incident joins its channel (an alert or a drill is nobody to invite). */
  private async inviteOpener(incident: Incident, channelId: string): Promise<void> {
    const { openedBy } = incident;
    if (openedBy.startsWith('U') || openedBy.startsWith('W'))
      await this.call('conversations.invite', () => this.client.conversations.invite({ channel: channelId, users: openedBy }));
  }

  /** The bot's own user (auth.test), asked once: the creator of the channels the bot made. */
  private async botUserId(): Promise<string | null> {
    if (this.ownUser) return this.ownUser;
    const auth = await this.call('auth.test', () => this.client.auth.test());
    if (auth.ok && auth.value.user_id) this.ownUser = auth.value.user_id;
    return this.ownUser;
  }

  /** Posts announcements that a crash or Slack outage left unposted. */
  async announceMissing(): Promise<number> {
    let missing = 0;
    await this.service.eachOpen(async (page) => {
      const unannounced = page.filter((i) => !i.announcement);
      missing += unannounced.length;
      // A page queued at once; the pacer spaces them out per channel.
      await Promise.all(unannounced.map((i) => this.announce(i.id)));
    });
    return missing;
  }

  async changed(incident: Incident, events: TimelineEventInput[]): Promise<string | void> {
    const notices: string[] = [];
    for (const event of events) {
      const notice =
        event.kind === 'status_update' ? await this.postStatusUpdate(incident, event) : await this.postLifecycleMessage(incident, event);
      if (notice) notices.push(notice);
    }
    // A person who acted hears about a failed update; alert deliveries and the bot's own steps (a rollback job) never wait for it.
    const byPerson = events.some((e) => e.actor !== 'bot' && !e.actor.startsWith('alert:'));
    const notice = await this.refresh(incident, byPerson ? PERSON_NOTICE_WAIT_MS : 0);
    if (notice) notices.push(notice);
    return notices.join(' ') || undefined;
  }

  /**
   * Queues a redraw of the announcement: storms of changes coalesce into one update per
   * channel per interval, drawn from the latest stored state. Returns a notice only when
   * the channel was free and Slack refused quickly; it never waits out a rate limit.
   */
  async refresh(incident: Incident, noticeWaitMs = 0): Promise<string | void> {
    if (!incident.announcement) return;
    return this.pacer.refresh(incident.announcement.channel, incident.id, noticeWaitMs);
  }

  private async updateAnnouncement(incidentId: string): Promise<DrawResult> {
    const incident = await this.service.get(incidentId);
    if (!incident?.announcement) return { outcome: 'skipped' };
    const view = this.announcementOf(incident);
    const { channel, ts } = incident.announcement;
    const updated = await this.call('chat.update', () => this.client.chat.update({ channel, ts, text: view.text, blocks: view.blocks }));
    if (!updated.ok && updated.retryAfterMs !== undefined) return { outcome: 'retry', retryAfterMs: updated.retryAfterMs };
    if (!updated.ok) return { outcome: 'drawn', notice: `The announcement could not be updated: ${updated.userMessage}.` };
    return { outcome: 'drawn' };
  }

  private async postStatusUpdate(incident: Incident, event: TimelineEventInput): Promise<string | void> {
    const nextUpdate = this.service.sla(incident).clocks.find((c) => c.name === 'next_update');
    const message = statusUpdateMessage(incident, event.text, nextUpdate?.dueAt ?? null, event.actor);
    // A private incident's update is its detail: no broadcast outside (its announcement shows the status).
    return this.postInPlace(incident, message, incident.private ? null : message, 'The update is recorded', UPDATE_QUEUED_NOTICE);
  }

  /** Resolve, close and reopen each get a short message, so the change is seen where people look. */
  private async postLifecycleMessage(incident: Incident, event: TimelineEventInput): Promise<string | void> {
    if (event.kind !== 'status' && event.kind !== 'reopened') return;
    const { from, to } = (event.details ?? {}) as { from?: Incident['status']; to?: Incident['status'] };
    const move = from && to ? lifecycleMove(from, to) : null;
    if (!move) return;
    return this.postInPlace(
      incident,
      lifecycleMessage(incident, move, event.actor, event.at),
      // Outside a private incident the message says only what moved: no title, no resolution.
      lifecycleMessage(concealed(incident), move, event.actor, event.at),
      `${incident.id} is ${to}`,
      `${incident.id} is ${to}; Slack did not take the message saying so: it is queued and will be posted when Slack answers.`,
    );
  }

  /**
   * The incident's place: its own channel when it has one (`message`), and a broadcast reply under
   * the announcement (`outside`, the same message for a public incident; none to post nothing there).
   */
  private async postInPlace(
    incident: Incident,
    message: SlackMessage,
    outside: SlackMessage | null,
    recorded: string,
    queued: string,
  ): Promise<string | void> {
    const targets: { target: PostTarget; message: SlackMessage }[] = [];
    if (incident.channel) targets.push({ target: { channel: incident.channel.id }, message });
    if (outside) {
      const target = incident.announcement
        ? { channel: incident.announcement.channel, thread_ts: incident.announcement.ts, reply_broadcast: true as const }
        : { channel: this.options.incidentChannel };
      targets.push({ target, message: outside });
    }
    if (!targets.length) return;
    if (this.outbox) {
      const queuedAt = this.service.now();
      const posts = targets.map(({ target, message }) => ({
        id: randomUUID(),
        incidentId: incident.id,
        target,
        text: message.text,
        blocks: message.blocks,
        queuedAt,
        attempts: 0,
      }));
      try {
        const sent = await this.outbox.send(incident.id, posts);
        if (sent.outcome === 'queued') return queued;
        if (sent.outcome === 'failed') return `${recorded}, but posting it to Slack failed: ${sent.userMessage}.`;
        return;
      } catch (error) {
        this.log.warn({ err: error, incidentId: incident.id }, 'could not queue a message Slack did not take');
        return `${recorded}, but Slack did not take the message and it could not be queued; post it again when Slack answers.`;
      }
    }
    for (const { target, message } of targets) {
      const posted = await this.call('chat.postMessage', () =>
        this.poster.chat.postMessage({ ...target, text: message.text, blocks: message.blocks }),
      );
      if (!posted.ok) return `${recorded}, but posting it to Slack failed: ${posted.userMessage}.`;
    }
  }

  /**
   * `inc-YYYYMMDD-NNN-<slug>`; a taken name gets `-2`, `-3` …; the opener is invited and the summary
   * posted. A private incident's channel is private and its name carries no slug of the title.
   */
  private async createChannel(incident: Incident): Promise<string | void> {
    // Noted before creating: the orphan sweep only lists channels for incidents that wanted one.
    await this.idempotency.set(`channel-wanted:${incident.id}`, '1', ANNOUNCE_TTL_MS);
    let created: { id: string; name: string } | null = null;
    for (let attempt = 1; attempt <= 10 && !created; attempt += 1) {
      const isPrivate = Boolean(incident.private);
      const name = incidentChannelName(this.options.channelPrefix, incident.id, isPrivate ? 'private' : incident.title, attempt);
      const result = await this.call('conversations.create', () => this.poster.conversations.create({ name, is_private: isPrivate }));
      if (result.ok) created = { id: result.value.channel?.id as string, name: (result.value.channel?.name as string) ?? name };
      else if (result.code !== 'name_taken') return `The incident channel could not be created: ${result.userMessage}.`;
    }
    if (!created) return 'The incident channel could not be created: every name tried was taken.';
    const channel = created;
    await this.service.attachChannel(incident.id, channel, `${incident.private ? 'Private channel' : 'Channel'} #${channel.name} created`);
    await this.service.linkChannel(channel.id, incident.id);
    await this.inviteOpener(incident, channel.id);
    const latest = await this.service.get(incident.id);
    await this.options.channelSetup?.created(latest ?? { ...incident, channel }, channel.id);
    // Title and summary may come from an alert: escaped, so `<!channel>` in them notifies nobody.
    const summary = `:rotating_light: *${incident.id}* [${incident.severity}] ${escapeMrkdwn(incident.title)}\n${incident.summary ? escapeMrkdwn(incident.summary) : '_No summary yet._'}\nWhy ${incident.severity}: ${slackText(incident.severityReason)}`;
    await this.call('chat.postMessage', () => this.poster.chat.postMessage({ channel: channel.id, text: summary }));
  }
}
