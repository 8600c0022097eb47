import type { BlockAction, ButtonAction } from '@slack/bolt';
import { ACTIONS } from '../../../outbound/slack/ids';
import { outcomeText, type SlackDeps } from './slack-deps';
import type { SlackListeners } from '../slack-router';

/**
 * "All alerts resolved — resolve incident?": the alerts only offer, a person decides.
 * A second click meets the resolved incident and is told so; nothing changes twice.
 */
export function registerAlertActions(app: SlackListeners, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTIONS.resolveAlertsResolved, async ({ ack, body, action, respond }) => {
    await ack();
    const id = action.value ?? '';
    const outcome = await deps.service.resolve(id, body.user.id, 'All alerts resolved.');
    // Success shows in the updated announcement; refusals and notices go to the clicker.
    if (!outcome.ok || outcome.notices?.length) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: outcomeText(outcome, `${id} resolved.`) });
    }
  });
}
