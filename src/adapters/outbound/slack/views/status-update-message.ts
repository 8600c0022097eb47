import type { KnownBlock } from '@slack/types';
import type { Incident } from '../../../../domain/incident';
import { section } from './block-kit';
import { slackDate } from './format-time';
import { STATUS_LABEL } from './severity-labels';
import { slackText } from './slack-text';
import type { Phrase } from '../../../../domain/phrase';

/** The status update template (header, status, impact, next update), filled in. */
export function statusUpdateMessage(
  incident: Incident,
  text: Phrase,
  nextUpdateAt: number | null,
  by: string,
): { text: string; blocks: KnownBlock[] } {
  const lines = [
    `:rotating_light: *INCIDENT UPDATE [${incident.severity}]*`,
    `*Incident ID:* ${incident.id}`,
    `*Status:* ${STATUS_LABEL[incident.status]}`,
    `*Impact:* ${slackText(text)}`,
    `*Next Update:* ${nextUpdateAt === null ? 'none (resolved)' : slackDate(nextUpdateAt, '{date_short} {time}')}`,
    `_Posted by <@${by}>_`,
  ];
  const plainText = `INCIDENT UPDATE [${incident.severity}] ${incident.id} — ${STATUS_LABEL[incident.status]}: ${slackText(text)}`;
  return { text: plainText.slice(0, 3000), blocks: [section(lines.join('\n'))] };
}
