import type { MessageShortcut } from '@slack/bolt';
import { isOpenStatus } from '../../../../domain/lifecycle';
import { SHORTCUTS } from '../../../outbound/slack/ids';
import { describeSlackError } from '../../../outbound/slack/slack-errors';
import { addToTimelineModal } from '../../../outbound/slack/views/modals';
import type { SlackDeps } from './slack-deps';
import type { SlackListeners } from '../slack-router';
import { seenBy } from '../../../../domain/private-incident';

/** A static select holds at most 100 options. */
const PICKER_PAGE_SIZE = 100;

/** Message shortcut "Add to incident timeline": pick an open incident (the channel's own comes first). */
export function registerTimelineShortcut(app: SlackListeners, deps: SlackDeps): void {
  app.shortcut<MessageShortcut>(SHORTCUTS.addToTimeline, async ({ ack, shortcut, client }) => {
    await ack();
    // A page, the most urgent first; the channel's own incident is added when it is further down.
    const [{ incidents }, own] = await Promise.all([
      deps.service.openPage(PICKER_PAGE_SIZE),
      deps.service.findByChannel(shortcut.channel.id),
    ]);
    const ownIncident = own && !incidents.some((i) => i.id === own) ? await deps.service.get(own) : null;
    const listed = ownIncident && isOpenStatus(ownIncident.status) ? [ownIncident, ...incidents.slice(0, PICKER_PAGE_SIZE - 1)] : incidents;
    // Private incidents are offered by name only to the people in them.
    const open = listed.map((i) => seenBy(i, shortcut.user.id));
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
