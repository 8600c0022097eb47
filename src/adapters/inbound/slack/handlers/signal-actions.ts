import type { BlockAction, ButtonAction } from '@slack/bolt';
import type { LiveSignals } from '../../../../app/signals/live-signals';
import { ACTIONS } from '../../../outbound/slack/ids';
import type { SlackListeners } from '../slack-router';
import { outcomeText } from './slack-deps';

/**
 * "Raise to P1" on a signals proposal: a person confirms. A second click (or a click after
 * someone already raised it) changes nothing and says why.
 */
export function registerSignalActions(app: SlackListeners, signals: LiveSignals): void {
  app.action<BlockAction<ButtonAction>>(ACTIONS.raiseSeverityFromSignals, async ({ ack, body, action, respond }) => {
    await ack();
    const id = action.value ?? '';
    const outcome = await signals.raise(id, body.user.id);
    if (!outcome.ok || outcome.notices?.length) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: outcomeText(outcome, `${id} raised.`) });
    }
  });
}
