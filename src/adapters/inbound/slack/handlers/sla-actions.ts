import type { BlockAction, ButtonAction } from '@slack/bolt';
import { ACTIONS } from '../../../outbound/slack/ids';
import { outcomeText, type SlackDeps } from './slack-deps';
import type { SlackListeners } from '../slack-router';

/** The Close button on "Monitoring period over — close the incident?": closes through the service, refusals told privately. */
export function registerSlaActions(app: SlackListeners, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTIONS.close, async ({ ack, body, action, respond }) => {
    await ack();
    const id = action.value ?? '';
    const outcome = await deps.service.close(id, body.user.id);
    await respond({ response_type: 'ephemeral', replace_original: false, text: outcomeText(outcome, `${id} closed.`) });
  });
}
