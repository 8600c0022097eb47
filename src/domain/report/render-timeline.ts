import type { TimelineEvent } from '../timeline';
import { escapeInline } from './escape-markdown';
import { displayActor, namedText } from './people-text';
import { utcClock, utcDate, utcDateTime } from './utc-time';

/**
 * The timeline as Markdown list lines, `- HH:MM UTC — actor — text`, in stream order
 * (the Redis stream id already orders events). Events on a later UTC day than the first
 * carry their date, so a night-long incident still reads unambiguously.
 */
export function renderTimelineLines(events: readonly TimelineEvent[], userNames: Record<string, string> = {}): string[] {
  const firstDay = events[0] ? utcDate(events[0].at) : '';
  return events.map((event) => {
    const when = utcDate(event.at) === firstDay ? utcClock(event.at) : utcDateTime(event.at);
    const actor = escapeInline(displayActor(event.actor, userNames));
    const text = escapeInline(namedText(event.text, userNames));
    return `- ${when} — ${actor} — ${text}`;
  });
}
