import type { KnownBlock } from '@slack/types';
import type { Incident } from '../../../../domain/incident';
import type { TimelineEvent } from '../../../../domain/timeline';
import type { SlaState } from '../../../../domain/sla-policy';
import { announcementView } from './announcement-view';
import { capBlocks, context, escapeMrkdwn, section } from './block-kit';
import { slackDate } from './format-time';
import { slackText } from './slack-text';

/** How many timeline entries `/incident show` reads and shows: the newest ones. */
export const SHOW_TIMELINE_ENTRIES = 15;

/**
 * `/incident show`: the announcement, sections features add (gates, paper trail), the most
 * recent timeline entries (`timeline`: the tail the store read, and how many there are in all).
 */
export function incidentDetailBlocks(
  incident: Incident,
  sla: SlaState,
  timeline: { entries: TimelineEvent[]; total: number },
  now: number,
  sections: KnownBlock[] = [],
): KnownBlock[] {
  const { blocks } = announcementView({ incident, sla, now });
  const withoutButtons = blocks.filter((b) => b.type !== 'actions');
  const recent = timeline.entries.slice(-SHOW_TIMELINE_ENTRIES);
  const earlier = Math.max(0, timeline.total - recent.length);
  const lines = recent.map(
    (e) =>
      `${slackDate(e.at, '{time}')} ${e.actor.startsWith('alert:') || e.actor === 'bot' ? escapeMrkdwn(e.actor) : `<@${e.actor}>`} — ${slackText(e.text)}`,
  );
  const extra: KnownBlock[] = [
    section(
      `*Timeline* (${timeline.total} entries${earlier ? `, last ${recent.length} shown; ${earlier} earlier entries in GET /api/incidents/${incident.id}` : ''})\n${lines.join('\n')}`.slice(
        0,
        2990,
      ),
    ),
  ];
  return capBlocks([...withoutButtons, ...sections, ...extra, context([`Full timeline: GET /api/incidents/${incident.id}`])]);
}
