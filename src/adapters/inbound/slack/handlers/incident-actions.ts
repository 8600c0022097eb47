import type { BlockAction, ButtonAction } from '@slack/bolt';
import type { ApplyOutcome } from '../../../../app/incident-service';
import { isOpenStatus, type IncidentStatus } from '../../../../domain/lifecycle';
import { ACTIONS } from '../../../outbound/slack/ids';
import { resolveModal, updateModal } from '../../../outbound/slack/views/modals';
import { seenBy } from '../../../../domain/private-incident';
import { outcomeText, type SlackDeps } from './slack-deps';
import type { SlackListeners } from '../slack-router';

/**
 * Buttons on the announcement. Each is acknowledged first; the button value carries only
 * the incident id, and the stored incident decides what the click means. A double click
 * meets the state the first click left ("already acknowledged") and changes nothing.
 */
export function registerIncidentActions(app: SlackListeners, deps: SlackDeps): void {
  const { service } = deps;

  const simple = (actionId: string, run: (id: string, user: string) => Promise<ApplyOutcome>, success: (id: string) => string) => {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      const outcome = await run(action.value ?? '', body.user.id);
      // Success shows in the updated announcement; only refusals and notices go to the clicker.
      if (!outcome.ok || outcome.notices?.length) {
        await respond({ response_type: 'ephemeral', replace_original: false, text: outcomeText(outcome, success(action.value ?? '')) });
      }
    });
  };

  simple(
    ACTIONS.acknowledge,
    (id, user) => service.acknowledge(id, user),
    (id) => `${id} acknowledged.`,
  );
  simple(
    ACTIONS.takeCommand,
    (id, user) => service.takeCommand(id, user),
    (id) => `You are the commander of ${id}.`,
  );
  simple(
    ACTIONS.confirmSeverity,
    (id, user) => service.confirmSeverity(id, user),
    (id) => `Severity of ${id} confirmed.`,
  );
  simple(
    ACTIONS.reopen,
    (id, user) => service.reopen(id, user),
    (id) => `${id} reopened.`,
  );

  const modal = (actionId: string, build: typeof updateModal, allowed: (status: IncidentStatus) => boolean, refusal: string) => {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client, respond }) => {
      await ack();
      const incident = await service.get(action.value ?? '');
      if (!incident)
        return void (await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: `:warning: No incident ${action.value}.`,
        }));
      if (!allowed(incident.status))
        return void (await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: `:warning: ${incident.id} is ${incident.status}; ${refusal}`,
        }));
      await client.views.open({ trigger_id: body.trigger_id, view: build(seenBy(incident, body.user.id)) });
    });
  };

  modal(ACTIONS.postUpdate, updateModal, (s) => s !== 'closed', 'closed incidents take no updates.');
  modal(ACTIONS.resolve, resolveModal, (s) => isOpenStatus(s), 'it is not open.');
}
