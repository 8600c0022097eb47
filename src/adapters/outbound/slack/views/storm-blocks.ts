import { formatDuration } from '../../../../domain/duration';
import type { Incident } from '../../../../domain/incident';
import { activeChildren, sortChildren, type StormChild } from '../../../../domain/storm/alert-storm';
import type { KnownBlock } from '@slack/types';
import { context, escapeMrkdwn, LIMITS, section } from './block-kit';

/** Lines of children shown on the announcement; the rest are counted ("and N more"). */
export const STORM_LINES_SHOWN = 20;

function line(child: StormChild, withKey: boolean): string {
  // Alert names and group keys are sender text: escaped, so `<!channel>` in them notifies nobody.
  const name = escapeMrkdwn(child.name.replace(/\s+/g, ' ').slice(0, 80));
  const key = withKey ? ` · \`${escapeMrkdwn(child.groupKey.replace(/[`\s]+/g, ' ').slice(0, 120))}\`` : '';
  if (child.split) return `• ~${name}~ split out → *${child.split.incidentId}*${key}`;
  const folded = child.foldedFrom ? ` (was ${child.foldedFrom})` : '';
  return `• [${child.severity}] ${name} — ${child.firing} firing · ${child.resolved} resolved${folded}${key}`;
}

/** Adds lines while they fit in one section's text, leaving room for the "and N more" line. */
function listed(children: StormChild[], max: number, withKey: boolean): string {
  const lines: string[] = [];
  let length = 0;
  for (const child of children.slice(0, max)) {
    const next = line(child, withKey);
    if (length + next.length + 1 > LIMITS.sectionText - 60) break;
    lines.push(next);
    length += next.length + 1;
  }
  const more = children.length - lines.length;
  return [...lines, ...(more > 0 ? [`_…and ${more} more_`] : [])].join('\n');
}

/**
 * A storm parent's children, most severe first, within Block Kit limits: one section of at
 * most `max` lines, "and N more" for the rest. `withKeys` adds each group key (for `show`,
 * where a person picks one to split out).
 */
export function stormBlocks(incident: Incident, options: { max?: number; withKeys?: boolean } = {}): KnownBlock[] {
  const storm = incident.storm;
  if (!storm) return [];
  const active = activeChildren(storm);
  const split = storm.children.filter((c) => c.split);
  const alerts = incident.alerts;
  const by = Object.entries(storm.by)
    .map(([k, v]) => `${escapeMrkdwn(k)}=${escapeMrkdwn(v || '(none)')}`)
    .join(', ');
  const facts = [
    `*Alert storm:* ${active.length} alert group${active.length === 1 ? '' : 's'}`,
    `${alerts ? alerts.total : 0} alerts (${alerts?.firing ?? 0} firing · ${alerts?.resolved ?? 0} resolved)`,
    `threshold ${storm.threshold} new groups within ${formatDuration(storm.windowMs)}`,
    ...(by ? [`sharing ${by}`] : []),
    ...(split.length ? [`${split.length} split out`] : []),
  ];
  const children = [...sortChildren(active), ...split];
  return [
    section(facts.join(' · ')),
    ...(children.length ? [section(listed(children, options.max ?? STORM_LINES_SHOWN, options.withKeys ?? false))] : []),
    context([`Take a group out into its own incident: \`/incident split <alert name or group key> ${incident.id}\``]),
  ];
}

/** On an incident folded into a storm: where its alerts went. */
export function mergedBlocks(incident: Incident): KnownBlock[] {
  return incident.mergedInto && incident.mergedAs === 'storm'
    ? [
        section(
          `:twisted_rightwards_arrows: *Joined alert storm ${incident.mergedInto}* — its alerts are counted there; nobody is paged for it again.`,
        ),
      ]
    : [];
}

/** For `/incident show`: every group with its key, so a person can name one to split out. */
export function stormKeyBlocks(incident: Incident): KnownBlock[] {
  const storm = incident.storm;
  if (!storm?.children.length) return [];
  const children = [...sortChildren(activeChildren(storm)), ...storm.children.filter((c) => c.split)];
  return [section(`*Alert groups and their keys*\n${listed(children, 40, true)}`)];
}
