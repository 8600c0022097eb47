import type { App, ViewOutput } from '@slack/bolt';
import { isStatus } from '../../../../domain/lifecycle';
import { isSeverity } from '../../../../domain/severity';
import { INPUTS, VIEWS } from '../../../outbound/slack/ids';
import { DELIVERY_TTL_MS, outcomeText, type SlackDeps } from './slack-deps';
import type { SlackListeners } from '../slack-router';
import { phrase, user } from '../../../../domain/phrase';
import { parseSlackText } from '../parse-slack-text';
import { escapeMrkdwn } from '../../../outbound/slack/views/block-kit';
import { ownersOf } from './owners-of';

type Values = ViewOutput['state']['values'];

function text(values: Values, input: { block: string; action: string }): string {
  return (values[input.block]?.[input.action]?.value ?? '').trim();
}

function selected(values: Values, input: { block: string; action: string }): string | null {
  return values[input.block]?.[input.action]?.selected_option?.value ?? null;
}

function metadata<T>(view: ViewOutput): Partial<T> {
  try {
    return JSON.parse(view.private_metadata || '{}') as Partial<T>;
  } catch {
    return {};
  }
}

/**
 * Modal submissions. Validation errors go back into the form (response_action: errors);
 * everything else is acknowledged first. A double-submitted form has the same view id,
 * so the second submission finds the first one's record and changes nothing.
 */
export function registerIncidentViews(app: SlackListeners, deps: SlackDeps): void {
  const { service, config } = deps;

  const tell = async (client: App['client'], channel: string | null | undefined, user: string, message: string) => {
    if (!channel) return;
    try {
      await client.chat.postEphemeral({ channel, user, text: message });
    } catch (error) {
      deps.log.debug({ err: error }, 'could not send the ephemeral confirmation');
    }
  };

  app.view(VIEWS.open, async ({ ack, view, body, client }) => {
    const values = view.state.values;
    const title = text(values, INPUTS.title);
    const severity = selected(values, INPUTS.severity);
    const errors: Record<string, string> = {};
    if (!title) errors[INPUTS.title.block] = 'Give the incident a title.';
    if (!isSeverity(severity)) errors[INPUTS.severity.block] = 'Choose a severity.';
    const service_ = selected(values, INPUTS.service);
    if (service_ && !config.services.some((s) => s.name === service_)) errors[INPUTS.service.block] = `Unknown service "${service_}".`;
    if (Object.keys(errors).length || !isSeverity(severity)) return void (await ack({ response_action: 'errors', errors }));
    await ack();
    const ticked = (input: { block: string; action: string }) =>
      (values[input.block]?.[input.action]?.selected_options ?? []).some((o) => o.value === 'yes');
    const isPrivate = ticked(INPUTS.private);
    const opened = await service.open(
      {
        title,
        severity,
        summary: text(values, INPUTS.summary),
        service: service_,
        openedBy: body.user.id,
        source: 'slack',
        ...(isPrivate ? { private: { members: ownersOf(config, service_) } } : {}),
      },
      // A private incident's detail has nowhere else to go: it always gets its channel.
      { createChannel: isPrivate || ticked(INPUTS.createChannel), idempotencyKey: `view:${view.id}` },
    );
    if (!opened.created) return;
    const origin = metadata<{ originChannel: string }>(view).originChannel;
    const kind = isPrivate ? ' private incident' : '';
    await tell(
      client,
      origin,
      body.user.id,
      [`Opened${kind} *${opened.incident.id}* [${severity}] ${escapeMrkdwn(title)}.`, ...opened.notices].join(' '),
    );
  });

  app.view(VIEWS.update, async ({ ack, view, body, client }) => {
    const values = view.state.values;
    const status = selected(values, INPUTS.status);
    const update = text(values, INPUTS.updateText);
    if (!update) return void (await ack({ response_action: 'errors', errors: { [INPUTS.updateText.block]: 'Say what changed.' } }));
    if (!isStatus(status)) return void (await ack({ response_action: 'errors', errors: { [INPUTS.status.block]: 'Choose a status.' } }));
    const { incidentId } = metadata<{ incidentId: string }>(view);
    await ack();
    if (!incidentId || !(await deps.idempotency.claim(`view:${view.id}`, DELIVERY_TTL_MS))) return;
    const outcome = await service.postUpdate(incidentId, { status, text: update, by: body.user.id });
    if (!outcome.ok || outcome.notices?.length)
      await tell(
        client,
        outcome.ok ? outcome.incident.announcement?.channel : config.channels.incident_response,
        body.user.id,
        outcomeText(outcome, `Update posted for ${incidentId}.`),
      );
  });

  app.view(VIEWS.resolve, async ({ ack, view, body, client }) => {
    const summary = text(view.state.values, INPUTS.resolutionSummary);
    if (!summary)
      return void (await ack({
        response_action: 'errors',
        errors: { [INPUTS.resolutionSummary.block]: 'Summarise how it was resolved.' },
      }));
    const { incidentId } = metadata<{ incidentId: string }>(view);
    const override = text(view.state.values, INPUTS.overrideReason);
    // Gate 3 answered in the form, where the reason can still be typed (the service checks again).
    if (config.gates.enforce && !override && incidentId) {
      const current = await service.get(incidentId);
      if (current && current.gates?.recoveryValidatedAt == null) {
        return void (await ack({
          response_action: 'errors',
          errors: {
            [INPUTS.overrideReason.block]:
              'Recovery is not validated (gate 3): give a reason to resolve anyway, or wait for the verification checks.',
          },
        }));
      }
    }
    await ack();
    if (!incidentId || !(await deps.idempotency.claim(`view:${view.id}`, DELIVERY_TTL_MS))) return;
    const outcome = await service.resolve(incidentId, body.user.id, summary, override ? { override } : {});
    if (!outcome.ok || outcome.notices?.length)
      await tell(client, config.channels.incident_response, body.user.id, outcomeText(outcome, `${incidentId} resolved.`));
  });

  app.view(VIEWS.addToTimeline, async ({ ack, view, body, client }) => {
    const incidentId = selected(view.state.values, INPUTS.incident);
    if (!incidentId) return void (await ack({ response_action: 'errors', errors: { [INPUTS.incident.block]: 'Choose an incident.' } }));
    await ack();
    if (!(await deps.idempotency.claim(`view:${view.id}`, DELIVERY_TTL_MS))) return;
    const message = metadata<{ channel: string; ts: string; text: string; author: string }>(view);
    const quoted = phrase`Message from ${message.author ? user(message.author) : 'Slack'}: ${parseSlackText(message.text ?? '')}`;
    const outcome = await service.addNote(incidentId, quoted, body.user.id, {
      channel: message.channel,
      ts: message.ts,
      author: message.author,
    });
    await tell(client, message.channel, body.user.id, outcomeText(outcome, `Added to the timeline of ${incidentId}.`));
  });
}
