import type { HomeView, KnownBlock } from '@slack/types';
import type { Incident } from '../../../../domain/incident';
import { severityRank } from '../../../../domain/severity';
import { nextDeadline, type SlaState } from '../../../../domain/sla-policy';
import { formatDuration } from '../../../../domain/duration';
import { capBlocks, context, escapeMrkdwn, header, section } from './block-kit';
import { relative } from './format-time';
import { CLOCK_LABEL, SEVERITY_EMOJI, STATUS_LABEL } from './severity-labels';

export interface ListedIncident {
  incident: Incident;
  sla: SlaState;
}

/** Most severe first, then oldest first: the order a responder should look at them. */
export function sortBySeverity<T extends { incident: Incident }>(items: T[]): T[] {
  return [...items].sort(
    (a, b) => severityRank(a.incident.severity) - severityRank(b.incident.severity) || a.incident.createdAt - b.incident.createdAt,
  );
}

export function incidentLine({ incident, sla }: ListedIncident, now: number): string {
  const next = nextDeadline(sla);
  const breached = sla.clocks.filter((c) => c.breached && c.metAt === null);
  const clock = breached.length
    ? `:warning: ${breached.map((c) => `${CLOCK_LABEL[c.name]} breached ${formatDuration(c.overdueMs)} ago`).join(', ')}`
    : next
      ? `${CLOCK_LABEL[next.name]} ${relative(next.dueAt, now)}`
      : '';
  return `${SEVERITY_EMOJI[incident.severity]} *${incident.id}* [${incident.severity}] ${escapeMrkdwn(incident.title)} — ${STATUS_LABEL[incident.status]} · commander ${incident.commander ? `<@${incident.commander}>` : '_none_'} · open ${formatDuration(now - incident.createdAt)}${clock ? ` · ${clock}` : ''}`;
}

/** How many open incidents `/incident list` and App Home read and show: the most urgent ones. */
export const LIST_PAGE_SIZE = 20;

/**
 * Blocks listing open incidents; used by `/incident list` and App Home. `items` is the page
 * shown (the most urgent), `total` how many are open in all.
 */
export function incidentListBlocks(items: ListedIncident[], now: number, total = items.length, title = 'Open incidents'): KnownBlock[] {
  const sorted = sortBySeverity(items);
  if (!sorted.length && !total) return [header(title), section('No open incidents. :tada:')];
  const updated = `Updated ${new Date(now).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const more =
    total > sorted.length
      ? [`Showing ${sorted.length} of ${total}, most severe then oldest first; GET /api/incidents?limit=500 lists them all`]
      : [];
  return capBlocks([header(`${title} (${total})`), ...sorted.map((item) => section(incidentLine(item, now))), context([...more, updated])]);
}

export function appHomeView(items: ListedIncident[], now: number, total = items.length): HomeView {
  return { type: 'home', blocks: incidentListBlocks(items, now, total, 'Open incidents') };
}
