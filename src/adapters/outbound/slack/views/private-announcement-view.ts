import type { Incident } from '../../../../domain/incident';
import { isOpenStatus } from '../../../../domain/lifecycle';
import { PRIVATE_TITLE } from '../../../../domain/private-incident';
import { context, fields, header } from './block-kit';
import type { KnownBlock } from '@slack/types';
import { slackDate } from './format-time';
import { STATUS_LABEL, headerEmoji } from './severity-labels';

/**
 * The announcement of a private incident in #incident-response: that one of this severity is
 * open and who commands it. No title, summary, alert text, links or buttons: everything else is
 * in its private channel, which people outside it cannot open.
 */
export function privateAnnouncementView(incident: Incident): { text: string; blocks: KnownBlock[] } {
  const open = isOpenStatus(incident.status);
  const state = open ? '' : ` — ${STATUS_LABEL[incident.status].toUpperCase()}`;
  const commander = incident.commander ? `<@${incident.commander}>` : '_none yet_';
  const blocks: KnownBlock[] = [
    header(`${headerEmoji(incident.severity, incident.status)} ${incident.id} [${incident.severity}]${state} ${PRIVATE_TITLE}`),
    fields([
      ['Severity', incident.severity],
      ['Status', STATUS_LABEL[incident.status]],
      ['Commander', commander],
      ['Opened', slackDate(incident.createdAt)],
    ]),
    context([
      `:lock: A private incident: its detail is in a private channel. ${incident.commander ? `Ask ${commander}` : 'Ask the person who opened it'} if you need to be in it.`,
    ]),
  ];
  return { text: `${incident.id} [${incident.severity}] ${PRIVATE_TITLE} — ${STATUS_LABEL[incident.status]}`, blocks };
}
