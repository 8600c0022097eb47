import type { KnownBlock } from '@slack/types';
import { slackText } from './slack-text';
import { formatDuration } from '../../../../domain/duration';
import type { Incident } from '../../../../domain/incident';
import type { IncidentStatus } from '../../../../domain/lifecycle';
import { context, escapeMrkdwn, section, truncate } from './block-kit';
import { headerEmoji } from './severity-labels';

/** The lifecycle moves that are told in Slack with a message of their own. */
export type LifecycleMove = 'resolved' | 'closed' | 'reopened';

/** Which move a status change is, if it is one that gets a message. */
export function lifecycleMove(from: IncidentStatus, to: IncidentStatus): LifecycleMove | null {
  if (to === 'resolved' || to === 'closed') return to;
  if (from === 'resolved' && to === 'investigating') return 'reopened';
  return null;
}

// Alerts and the bot act too; only people are mentioned.
function who(actor: string): string {
  if (actor.startsWith('alert:')) return escapeMrkdwn(actor.slice(6));
  if (actor === 'bot' || actor.startsWith('auto:')) return 'the bot';
  return `<@${actor}>`;
}

/**
 * The short message posted in the incident's place (and broadcast under the announcement)
 * when it is resolved, closed or reopened: what happened, by whom, and what comes next.
 */
export function lifecycleMessage(
  incident: Incident,
  move: LifecycleMove,
  actor: string,
  at: number,
): { text: string; blocks: KnownBlock[] } {
  const title = escapeMrkdwn(truncate(incident.title, 200));
  const name = `*${incident.id}* [${incident.severity}] ${title}`;
  let line: string;
  let next: string;
  if (move === 'resolved') {
    line = `${headerEmoji(incident.severity, 'resolved')} ${name} *resolved* by ${who(actor)} after ${formatDuration(at - incident.createdAt)}.`;
    const summary = incident.resolutionSummary ? `\n*Resolution:* ${truncate(slackText(incident.resolutionSummary), 2000)}` : '';
    line += summary;
    next = incident.gates?.reportWrittenAt
      ? 'Next: close it with `/incident close`.'
      : 'Next: write the incident report (`/incident report`), then close it.';
  } else if (move === 'closed') {
    line = `${headerEmoji(incident.severity, 'closed')} ${name} *closed* by ${who(actor)}.`;
    next = incident.github
      ? `Report and timeline: <${incident.github.url}|issue #${incident.github.issueNumber}>.`
      : 'The report and timeline stay in `/incident show`.';
  } else {
    line = `:arrows_counterclockwise: ${name} *reopened* by ${who(actor)}: back to investigating.`;
    next = 'Post an update with `/incident update` once you know more.';
  }
  const fallback = `${incident.id} ${move} — ${truncate(incident.title, 200)}`;
  return { text: escapeMrkdwn(fallback), blocks: [section(line), context([next])] };
}
