import type { webApi } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type { IncidentObserver } from '../../../app/ports/incident-observer';
import type { Incident } from '../../../domain/incident';
import { roleOf, type Role } from '../../../domain/roles';
import type { TimelineEventInput } from '../../../domain/timeline';
import type { Logger } from '../../../logger';
import type { Metrics } from '../../../metrics';
import { describeSlackError } from './slack-errors';
import { commandHandedOverMessage, roleGivenMessage } from './views/role-message';

const isPerson = (id: unknown): id is string => typeof id === 'string' && /^[UW][A-Z0-9]+$/.test(id);

/**
 * Tells people about their roles by DM: the new holder gets what the role means and their
 * first steps; a commander who is replaced is told who took over. A DM failing never undoes
 * the change; it is logged and counted.
 */
export class SlackRoleNotifier implements IncidentObserver {
  readonly name = 'slack-roles';

  constructor(
    private readonly client: webApi.WebClient,
    private readonly log: Logger,
    private readonly metrics: Metrics,
  ) {}

  async changed(incident: Incident, events: TimelineEventInput[]): Promise<void> {
    for (const event of events) {
      const details = event.details ?? {};
      const role: Role | null =
        event.kind === 'commander' ? 'commander' : event.kind === 'role' ? roleOf(String(details.role ?? '')) : null;
      if (!role) continue;
      const { from, to } = details as { from?: unknown; to?: unknown };
      // Also when they took it themselves (Take command): the first steps help them too.
      if (isPerson(to)) await this.dm(to, roleGivenMessage(incident, role, event.actor));
      if (role === 'commander' && isPerson(from) && from !== to && isPerson(to))
        await this.dm(from, commandHandedOverMessage(incident, to, event.actor));
    }
  }

  private async dm(user: string, message: { text: string; blocks: KnownBlock[] }): Promise<void> {
    try {
      // Posting to a user id delivers to the bot's DM with them (chat:write).
      await this.client.chat.postMessage({ channel: user, text: message.text, blocks: message.blocks, unfurl_links: false });
    } catch (error) {
      const failure = describeSlackError(error);
      this.metrics.slackErrors.inc({ method: 'chat.postMessage', error: failure.code });
      this.log.warn({ user, error: failure.code }, `could not send a role DM: ${failure.userMessage}`);
    }
  }
}
