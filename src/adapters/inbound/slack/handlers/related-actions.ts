import type { BlockAction, ButtonAction } from '@slack/bolt';
import type { RelatedIncidents } from '../../../../app/related-incidents';
import { ACTIONS } from '../../../outbound/slack/ids';
import type { SlackListeners } from '../slack-router';
import { outcomeText } from './slack-deps';

/**
 * "Merge into INC-…" on a possibly related incident's announcement. The clicker is told what
 * happened; a second click (or one on an incident already merged) is told so and changes nothing.
 */
export function registerRelatedActions(app: SlackListeners, related: RelatedIncidents): void {
  app.action<BlockAction<ButtonAction>>(ACTIONS.mergeRelated, async ({ ack, body, action, respond }) => {
    await ack();
    const id = action.value ?? '';
    const outcome = await related.merge(id, body.user.id);
    const text = outcome.ok
      ? `${id} merged into ${outcome.target} and resolved as a duplicate; both timelines say so.`
      : outcomeText(outcome, '');
    await respond({ response_type: 'ephemeral', replace_original: false, text });
  });
}
