import type { Change, Incident } from './incident';
import { phrase, user as userRef } from './phrase';
import { refuse } from './result';

/** What a private incident is called wherever its title may not be shown. */
export const PRIVATE_TITLE = 'Private incident';

export function isPrivate(incident: Pick<Incident, 'private'>): boolean {
  return Boolean(incident.private);
}

/**
 * Who may read a private incident's detail: the people let in when it opened or who joined its
 * private channel since, and whoever holds a part in it (commander, roles, the one who
 * acknowledged), except anyone who left the private channel. Everyone may read a public one.
 */
export function mayRead(incident: Incident, user: string): boolean {
  if (!incident.private) return true;
  if (incident.private.left?.includes(user)) return false;
  const insiders = [
    incident.openedBy,
    incident.commander,
    incident.acknowledgedBy,
    ...incident.private.members,
    ...Object.values(incident.roles ?? {}),
  ];
  return insiders.includes(user);
}

/**
 * A person joined the private incident's channel (invited by hand or by the bot): they are in it
 * from now on, and no longer among those who left. `by`: who added them (themselves when unknown).
 */
export function joinPrivateChannel(incident: Incident, user: string, by: string, now: number): Change {
  const mark = incident.private;
  if (!mark) return refuse('incident.not_private', `${incident.id} is not a private incident.`);
  const left = mark.left ?? [];
  if (mark.members.includes(user) && !left.includes(user))
    return refuse('private.already_in', phrase`${userRef(user)} is already in ${incident.id}.`);
  const { left: _left, ...rest } = mark;
  const stillOut = left.filter((u) => u !== user);
  return {
    ok: true,
    incident: {
      ...incident,
      private: { ...rest, members: [...mark.members.filter((u) => u !== user), user], ...(stillOut.length ? { left: stillOut } : {}) },
    },
    events: [
      {
        at: now,
        actor: by,
        kind: 'private_member',
        text: phrase`${userRef(user)} joined the private channel`,
        details: { user, change: 'joined' },
      },
    ],
  };
}

/**
 * A person left (or was removed from) the private incident's channel: they see it as "Private
 * incident" from now on. A role they hold stays theirs (reassign it to change that); it no longer
 * lets them read the incident outside the channel.
 */
export function leavePrivateChannel(incident: Incident, user: string, now: number): Change {
  const mark = incident.private;
  if (!mark) return refuse('incident.not_private', `${incident.id} is not a private incident.`);
  const left = mark.left ?? [];
  if (left.includes(user)) return refuse('private.already_out', phrase`${userRef(user)} already left ${incident.id}.`);
  return {
    ok: true,
    incident: { ...incident, private: { ...mark, members: mark.members.filter((u) => u !== user), left: [...left, user] } },
    events: [
      {
        at: now,
        actor: user,
        kind: 'private_member',
        text: phrase`${userRef(user)} left the private channel`,
        details: { user, change: 'left' },
      },
    ],
  };
}

/**
 * A private incident as people outside it may see it: that it exists, its severity, status and
 * commander. Title, summary, updates, resolution, alert text and links are left out, so any view
 * drawn from it leaks nothing. A public incident comes back unchanged.
 */
export function concealed(incident: Incident): Incident {
  if (!incident.private) return incident;
  return {
    ...incident,
    title: PRIVATE_TITLE,
    summary: '',
    severityReason: '',
    impact: '',
    resolutionSummary: null,
    service: null,
    alerts: null,
    alertContext: null,
    signals: null,
    oncall: null,
    github: null,
    channel: null,
    autoRollback: null,
  };
}

/** The incident as this person may see it. */
export function seenBy(incident: Incident, user: string): Incident {
  return mayRead(incident, user) ? incident : concealed(incident);
}
