import type { InputBlock, InputBlockElement, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { Incident } from '../../../../domain/incident';
import { STATUSES, type IncidentStatus } from '../../../../domain/lifecycle';
import { SEVERITIES, type Severity } from '../../../../domain/severity';
import { INPUTS, VIEWS } from '../ids';
import { context, escapeMrkdwn, option, plain } from './block-kit';
import { STATUS_LABEL } from './severity-labels';
import { plainText } from '../../../../domain/phrase';

export interface OpenModalModel {
  title?: string;
  severities: Record<Severity, { name: string; definition: string }>;
  services: { name: string; description?: string }[];
  createChannelDefault: boolean;
  /** `/incident open --private`: the Private incident box starts ticked. */
  private?: boolean;
  /** Where the command was run, so the reply can go there. */
  originChannel?: string;
}

function input(block: string, label: string, element: InputBlockElement, optional = false, hint?: string): InputBlock {
  return { type: 'input', block_id: block, label: plain(label, 2000), element, optional, ...(hint ? { hint: plain(hint, 2000) } : {}) };
}

export function openIncidentModal(model: OpenModalModel): ModalView {
  const severityOptions = SEVERITIES.map((s) => option(`${s} — ${model.severities[s].name}`, s, model.severities[s].definition));
  const blocks: KnownBlock[] = [
    input(INPUTS.title.block, 'Title', {
      type: 'plain_text_input',
      action_id: INPUTS.title.action,
      max_length: 150,
      ...(model.title ? { initial_value: model.title.slice(0, 150) } : {}),
    }),
    input(
      INPUTS.severity.block,
      'Severity',
      { type: 'static_select', action_id: INPUTS.severity.action, options: severityOptions },
      false,
      SEVERITIES.map((s) => `${s}: ${model.severities[s].definition}`).join(' · '),
    ),
  ];
  if (model.services.length) {
    blocks.push(
      input(
        INPUTS.service.block,
        'Service',
        {
          type: 'static_select',
          action_id: INPUTS.service.action,
          options: model.services.slice(0, 100).map((s) => option(s.name, s.name, s.description)),
        },
        true,
      ),
    );
  }
  blocks.push(
    input(
      INPUTS.summary.block,
      'Summary',
      { type: 'plain_text_input', action_id: INPUTS.summary.action, multiline: true, max_length: 2900 },
      true,
    ),
  );
  const channelOption = option('Create a dedicated incident channel', 'yes');
  blocks.push({
    type: 'input',
    block_id: INPUTS.createChannel.block,
    optional: true,
    label: plain('Channel'),
    element: {
      type: 'checkboxes',
      action_id: INPUTS.createChannel.action,
      options: [channelOption],
      ...(model.createChannelDefault ? { initial_options: [channelOption] } : {}),
    },
  });
  const privateOption = option('Private incident', 'yes', 'A private channel; others see only its severity and commander.');
  blocks.push({
    type: 'input',
    block_id: INPUTS.private.block,
    optional: true,
    label: plain('Visibility'),
    element: {
      type: 'checkboxes',
      action_id: INPUTS.private.action,
      options: [privateOption],
      ...(model.private ? { initial_options: [privateOption] } : {}),
    },
  });
  return {
    type: 'modal',
    callback_id: VIEWS.open,
    title: plain('Open an incident', 24),
    submit: plain('Open', 24),
    close: plain('Cancel', 24),
    private_metadata: JSON.stringify({ originChannel: model.originChannel ?? null }),
    blocks,
  };
}

export function updateModal(incident: Incident): ModalView {
  const statuses: IncidentStatus[] = STATUSES.filter((s) => s !== 'closed');
  const current = option(STATUS_LABEL[incident.status], incident.status);
  return {
    type: 'modal',
    callback_id: VIEWS.update,
    title: plain('Post an update', 24),
    submit: plain('Post', 24),
    close: plain('Cancel', 24),
    private_metadata: JSON.stringify({ incidentId: incident.id }),
    blocks: [
      context([`*${incident.id}* [${incident.severity}] ${escapeMrkdwn(incident.title)}`]),
      input(INPUTS.status.block, 'Status', {
        type: 'static_select',
        action_id: INPUTS.status.action,
        options: statuses.map((s) => option(STATUS_LABEL[s], s)),
        ...(statuses.includes(incident.status) ? { initial_option: current } : {}),
      }),
      input(INPUTS.updateText.block, 'Impact and progress', {
        type: 'plain_text_input',
        action_id: INPUTS.updateText.action,
        multiline: true,
        max_length: 2500,
      }),
    ],
  };
}

export function resolveModal(incident: Incident): ModalView {
  // Gate 3: without validated recovery, resolving needs a reason on the record.
  const validated = incident.gates?.recoveryValidatedAt != null;
  const override = validated
    ? []
    : [
        input(
          INPUTS.overrideReason.block,
          'Recovery not validated: reason to resolve anyway',
          { type: 'plain_text_input', action_id: INPUTS.overrideReason.action, max_length: 500 },
          true,
          'No verification checks have passed for this incident. Gate 3 needs them, or a reason here (recorded in the decision log).',
        ),
      ];
  return {
    type: 'modal',
    callback_id: VIEWS.resolve,
    title: plain('Resolve incident', 24),
    submit: plain('Resolve', 24),
    close: plain('Cancel', 24),
    private_metadata: JSON.stringify({ incidentId: incident.id }),
    blocks: [
      context([`*${incident.id}* [${incident.severity}] ${escapeMrkdwn(incident.title)}`]),
      input(INPUTS.resolutionSummary.block, 'Resolution summary', {
        type: 'plain_text_input',
        action_id: INPUTS.resolutionSummary.action,
        multiline: true,
        max_length: 2900,
        ...(incident.resolutionSummary ? { initial_value: plainText(incident.resolutionSummary) } : {}),
      }),
      ...override,
    ],
  };
}

export function addToTimelineModal(
  openIncidents: Incident[],
  message: { channel: string; ts: string; text: string; author?: string },
  preselectId?: string | null,
): ModalView {
  const base = {
    type: 'modal' as const,
    callback_id: VIEWS.addToTimeline,
    title: plain('Add to timeline', 24),
    close: plain('Cancel', 24),
  };
  if (!openIncidents.length) {
    return {
      ...base,
      blocks: [
        {
          type: 'section',
          text: { type: 'mrkdwn', text: 'There are no open incidents to add this message to. Open one with `/incident open`.' },
        },
      ],
    };
  }
  const toOption = (i: Incident): PlainTextOption => option(`${i.id} [${i.severity}] ${i.title}`, i.id);
  const preselected = openIncidents.find((i) => i.id === preselectId) ?? (openIncidents.length === 1 ? openIncidents[0] : undefined);
  return {
    ...base,
    submit: plain('Add', 24),
    private_metadata: JSON.stringify({ ...message, text: message.text.slice(0, 1000) }),
    blocks: [
      input(INPUTS.incident.block, 'Incident', {
        type: 'static_select',
        action_id: INPUTS.incident.action,
        options: openIncidents.slice(0, 100).map(toOption),
        ...(preselected ? { initial_option: toOption(preselected) } : {}),
      }),
      context([`> ${message.text.slice(0, 500).replaceAll('\n', ' ')}`]),
    ],
  };
}
