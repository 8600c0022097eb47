import type { Incident } from './incident';

/** What a private incident is called wherever its title may not be shown. */
export const PRIVATE_TITLE = 'Private incident';

export function isPrivate(incident: Pick<Incident, 'private'>): boolean {
  return Boolean(incident.private);
}

/**
 * Who may read a private incident's detail: the people let in when it opened, and whoever
 * holds a part in it (commander, roles, the one who acknowledged). Everyone may read a public one.
 */
export function mayRead(incident: Incident, user: string): boolean {
  if (!incident.private) return true;
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
