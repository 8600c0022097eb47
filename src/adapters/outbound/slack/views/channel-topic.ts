import type { Incident } from '../../../../domain/incident';
import { stripInvisible, truncate } from './block-kit';
import { STATUS_LABEL } from './severity-labels';

/** Slack caps channel topics at 250 characters. */
export const TOPIC_MAX = 250;

/** The incident channel's topic: severity, status and commander first, so a glance is enough. */
export function channelTopic(incident: Incident): string {
  const commander = incident.commander && !incident.commander.startsWith('alert:') ? `<@${incident.commander}>` : 'none yet';
  // Topics are plain text; the title is cut, never the state.
  const title = stripInvisible(incident.title).replace(/[<>&]/g, '').replace(/\s+/g, ' ').trim();
  return truncate(`[${incident.severity}] ${STATUS_LABEL[incident.status]} · Commander: ${commander} · ${incident.id} ${title}`, TOPIC_MAX);
}
