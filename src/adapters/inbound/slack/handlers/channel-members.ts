import { slackText } from '../../../outbound/slack/views/slack-text';
import { DELIVERY_TTL_MS, type SlackDeps } from './slack-deps';
import type { SlackListeners } from '../slack-router';

type Membership = { user: string; channel: string; inviter?: string };

/**
 * A private incident's people follow its private channel: whoever joins it (invited by hand or by
 * the bot) is in the incident, whoever leaves it sees "Private incident" outside it again.
 *
 * Order of checks: (1) the bot itself joining or leaving is no one; (2) a channel that is no
 * incident's, or (3) a public incident's, is acknowledged and ignored; (4) one delivery is applied
 * once: Slack retries an event it thinks was not acknowledged, with the same event_id.
 */
export function registerChannelMembers(app: SlackListeners, deps: SlackDeps): void {
  const log = deps.log.child({ component: 'channel-members' });

  const follow = async (change: 'joined' | 'left', event: Membership, eventId: string | undefined, botUserId: string | undefined) => {
    if (event.user === botUserId) return;
    const incidentId = await deps.service.findByChannel(event.channel);
    if (!incidentId) return;
    const incident = await deps.service.get(incidentId);
    if (!incident?.private || incident.channel?.id !== event.channel) return;
    // Slack names every delivery; one without a name is applied as it comes.
    const key = eventId ? `event:${eventId}` : null;
    if (key && !(await deps.idempotency.claim(key, DELIVERY_TTL_MS))) {
      log.debug({ incidentId, eventId }, 'a retried channel membership event; applied once already');
      return;
    }
    try {
      const outcome =
        change === 'joined'
          ? await deps.service.joinPrivateChannel(incidentId, event.user, event.inviter ?? event.user)
          : await deps.service.leavePrivateChannel(incidentId, event.user);
      if (!outcome.ok) log.debug({ incidentId, code: outcome.code }, slackText(outcome.reason));
      else log.info({ incidentId, user: event.user, change }, 'private incident membership follows its channel');
    } catch (error) {
      if (key) await deps.idempotency.release(key); // nothing was stored, so Slack's retry may try again
      throw error;
    }
  };

  app.event('member_joined_channel', async ({ event, body, context }) => {
    await follow('joined', event, body.event_id, context.botUserId);
  });
  app.event('member_left_channel', async ({ event, body, context }) => {
    await follow('left', event, body.event_id, context.botUserId);
  });
}
