import type { KnownBlock } from '@slack/types';
import type { Incident } from '../../../../domain/incident';
import type { TimelineEvent } from '../../../../domain/timeline';
import type { SlaState } from '../../../../domain/sla-policy';
import { announcementView } from './announcement-view';
import { capBlocks, context, escapeMrkdwn, section } from './block-kit';
import { slackDate } from './format-time';
import { slackText } from './slack-text';

/** `/incident show`: the announcement, sections features add (gates, paper trail), the most recent timeline entries. */
export function incidentDetailBlocks(
  incident: Incident,
  sla: SlaState,
  timeline: TimelineEvent[],
  now: number,
  sections: KnownBlock[] = [],
): KnownBlock[] {
  const { blocks } = announcementView({ incident, sla, now });
  const withoutButtons = blocks.filter((b) => b.type !== 'actions');
  const recent = timeline.slice(-15);
  const lines = recent.map(
    (e) =>
      `${slackDate(e.at, '{time}')} ${e.actor.startsWith('alert:') || e.actor === 'bot' ? escapeMrkdwn(e.actor) : `<@${e.actor}>`} — ${slackText(e.text)}`,
  );
  const extra: KnownBlock[] = [
    section(
      `*Timeline* (${timeline.length} entries${timeline.length > recent.length ? `, last ${recent.length} shown` : ''})\n${lines.join('\n')}`.slice(
        0,
        2990,
      ),
    ),
  ];
  return capBlocks([...withoutButtons, ...sections, ...extra, context([`Full timeline: GET /api/incidents/${incident.id}`])]);
}
