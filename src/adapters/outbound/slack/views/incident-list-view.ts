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

/** Blocks listing open incidents; used by `/incident list` and App Home. */
export function incidentListBlocks(items: ListedIncident[], now: number, title = 'Open incidents'): KnownBlock[] {
  const sorted = sortBySeverity(items);
  if (!sorted.length) return [header(title), section('No open incidents. :tada:')];
  return capBlocks([
    header(`${title} (${sorted.length})`),
    ...sorted.map((item) => section(incidentLine(item, now))),
    context([`Updated ${new Date(now).toISOString().slice(0, 16).replace('T', ' ')} UTC`]),
  ]);
}

export function appHomeView(items: ListedIncident[], now: number): HomeView {
  return { type: 'home', blocks: incidentListBlocks(items, now, 'Open incidents') };
}
