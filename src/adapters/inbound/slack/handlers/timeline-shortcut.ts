import type { MessageShortcut } from '@slack/bolt';
import { SHORTCUTS } from '../../../outbound/slack/ids';
import { describeSlackError } from '../../../outbound/slack/slack-errors';
import { addToTimelineModal } from '../../../outbound/slack/views/modals';
import type { SlackDeps } from './slack-deps';
import type { SlackListeners } from '../slack-router';
import { seenBy } from '../../../../domain/private-incident';

/** Message shortcut "Add to incident timeline": pick an open incident (the channel's own comes first). */
export function registerTimelineShortcut(app: SlackListeners, deps: SlackDeps): void {
  app.shortcut<MessageShortcut>(SHORTCUTS.addToTimeline, async ({ ack, shortcut, client }) => {
    await ack();
    // Private incidents are offered by name only to the people in them.
    const open = (await deps.service.store.listOpen()).map((i) => seenBy(i, shortcut.user.id));
    const own = await deps.service.store.incidentForChannel(shortcut.channel.id);
    const message = {
      channel: shortcut.channel.id,
      ts: shortcut.message_ts,
      text: shortcut.message.text ?? '',
      ...(shortcut.message.user ? { author: shortcut.message.user } : {}),
    };
    const view = addToTimelineModal(open, message, own);
    try {
      await client.views.open({ trigger_id: shortcut.trigger_id, view: view });
    } catch (error) {
      deps.log.warn({ method: 'views.open', error: describeSlackError(error).code }, 'could not open the timeline form');
    }
  });
}
