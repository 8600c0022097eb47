import type { KnownBlock } from '@slack/types';
import { ROLE_GUIDE, type Role } from '../../../../domain/roles';
import type { Incident } from '../../../../domain/incident';
import { context, escapeMrkdwn, section, truncate } from './block-kit';

function name(incident: Incident): string {
  return `*${incident.id}* [${incident.severity}] ${escapeMrkdwn(truncate(incident.title, 200))}`;
}

function place(incident: Incident): string {
  return incident.channel ? `Work happens in <#${incident.channel.id}>.` : "Work happens in the announcement's thread.";
}

/** The DM to someone given a role: what it means and their first steps. */
export function roleGivenMessage(incident: Incident, role: Role, by: string): { text: string; blocks: KnownBlock[] } {
  const guide = ROLE_GUIDE[role];
  const steps = guide.firstSteps.map((s, i) => `${i + 1}. ${s}`).join('\n');
  return {
    text: escapeMrkdwn(`You are now the ${guide.label.toLowerCase()} of ${incident.id} ${truncate(incident.title, 200)}`),
    blocks: [
      section(`:raising_hand: <@${by}> made you the *${guide.label.toLowerCase()}* of ${name(incident)}.`),
      section(`*What it means:* ${guide.meaning}\n*First steps:*\n${steps}`),
      context([`${place(incident)} \`/incident show ${incident.id}\` shows where it stands.`]),
    ],
  };
}

/** The DM to a commander who handed over: who has it now. */
export function commandHandedOverMessage(incident: Incident, to: string, by: string): { text: string; blocks: KnownBlock[] } {
  return {
    text: escapeMrkdwn(`You are no longer the commander of ${incident.id}`),
    blocks: [
      section(
        `:arrows_counterclockwise: <@${to}> is now the incident commander of ${name(incident)} (changed by <@${by}>). You are no longer the commander; please hand over what you know in the incident's place.`,
      ),
    ],
  };
}
