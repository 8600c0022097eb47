import type { InputBlock, ModalView } from '@slack/types';
import type { Incident } from '../../../../domain/incident';
import type { ActionItem } from '../../../../domain/report/report-input';
import type { StoredReportInput } from '../../../../app/ports/paper-trail-store';
import { INPUTS, VIEWS } from '../ids';
import { context, escapeMrkdwn, plain } from './block-kit';
import { plainText } from '../../../../domain/phrase';

export interface ReportModalModel {
  incident: Incident;
  /** The last report's answers, so writing it again starts from them. */
  previous?: StoredReportInput | null;
  actionItems: ActionItem[];
}

/** An action item as a line the form parses back: ids as @U…, typed names as they were. */
export function actionItemLine(item: ActionItem): string {
  const owner = item.owner.startsWith('@') ? item.owner : `@${item.owner}`;
  return [item.text, owner, item.due].filter(Boolean).join(' ');
}

function field(
  input: { block: string; action: string },
  label: string,
  options: { value?: string; multiline?: boolean; optional?: boolean; hint?: string; max?: number } = {},
): InputBlock {
  const initial = options.value?.trim() ? { initial_value: options.value.slice(0, options.max ?? 2900) } : {};
  return {
    type: 'input',
    block_id: input.block,
    label: plain(label, 2000),
    optional: options.optional ?? true,
    element: {
      type: 'plain_text_input',
      action_id: input.action,
      multiline: options.multiline ?? true,
      max_length: options.max ?? 2900,
      ...initial,
    },
    ...(options.hint ? { hint: plain(options.hint, 2000) } : {}),
  };
}

/** The incident report form (the post-mortem template's headings); the rest comes from the timeline. */
export function reportModal({ incident, previous, actionItems }: ReportModalModel): ModalView {
  const p = previous;
  return {
    type: 'modal',
    callback_id: VIEWS.report,
    title: plain('Incident report', 24),
    submit: plain('Write report', 24),
    close: plain('Cancel', 24),
    private_metadata: JSON.stringify({ incidentId: incident.id }),
    blocks: [
      context([
        `*${incident.id}* [${incident.severity}] ${escapeMrkdwn(incident.title)} — the timeline, severity and rollback evidence are filled in from the incident.`,
      ]),
      field(INPUTS.rootCause, 'Root cause', { value: p?.rootCause, optional: false }),
      field(INPUTS.impact, 'Impact', { value: p?.impact, optional: false }),
      field(INPUTS.usersAffected, 'Users affected', { value: p?.usersAffected, multiline: false, max: 200 }),
      field(INPUTS.sloImpact, 'SLO impact', { value: p?.sloImpact, multiline: false, max: 200 }),
      field(INPUTS.resolution, 'Resolution', {
        value: p?.resolution || plainText(incident.resolutionSummary ?? ''),
        optional: false,
        hint: 'What was done to resolve it (the resolution summary gate 4 asks for).',
      }),
      field(INPUTS.wentWell, 'What went well', { value: p?.wentWell.join('\n'), hint: 'One per line.' }),
      field(INPUTS.couldImprove, 'What could be improved', { value: p?.couldImprove.join('\n'), hint: 'One per line.' }),
      field(INPUTS.actionItems, 'Action items', {
        value: actionItems.map(actionItemLine).join('\n'),
        hint: 'One per line: what to do @owner YYYY-MM-DD (date optional). Each becomes a follow-up issue on GitHub.',
      }),
      field(INPUTS.prevention, 'Prevention', { value: p?.prevention }),
    ],
  };
}
