import { assignCommander, type Change, type Incident } from './incident';
import { refuse } from './result';

/** The incident roles. The commander stays `incident.commander`; the others live in `incident.roles`. */
export const ROLES = ['commander', 'comms', 'scribe', 'ops'] as const;
export type Role = (typeof ROLES)[number];
export type SupportRole = Exclude<Role, 'commander'>;

/** Other words people type for a role. */
export const ROLE_ALIASES: Record<string, Role> = {
  ic: 'commander',
  communications: 'comms',
  comm: 'comms',
  operations: 'ops',
  notes: 'scribe',
};

/**
 * What each role means and the first steps: the commander coordinates detection, mitigation
 * and resolution; communications notifies stakeholders and keeps the status updates on time;
 * the scribe keeps the incident timeline of events, decisions and results; operations runs the
 * approved mitigation and verifies recovery.
 */
export const ROLE_GUIDE: Record<Role, { label: string; meaning: string; firstSteps: string[] }> = {
  commander: {
    label: 'Incident commander',
    meaning:
      'Coordinates rapid detection, mitigation and resolution, keeping communication precise and evidence captured. Decides; delegates the rest.',
    firstSteps: [
      'Confirm the severity and the affected scope (gate 1).',
      'Name the other roles: `/incident role comms|scribe|ops @person`.',
      'Agree the mitigation with the on-call and record the decision.',
    ],
  },
  comms: {
    label: 'Communications lead',
    meaning: "Notifies stakeholders and posts the status updates on the severity's schedule, in the status-update template.",
    firstSteps: [
      'Post the first status update: `/incident update <status> <impact>`.',
      'Check who must be told (stakeholders, support, status page).',
      'Keep the next-update clock from breaching.',
    ],
  },
  scribe: {
    label: 'Scribe',
    meaning: 'Maintains the incident timeline: key events, decisions and results, with times, for the report.',
    firstSteps: [
      'Add what happened so far: `/incident note <text>`, or the message shortcut on any message.',
      'Record each decision and who made it.',
      'Collect links (dashboards, logs) for the post-mortem.',
    ],
  },
  ops: {
    label: 'Operations lead',
    meaning: 'Runs the approved mitigation or rollback and verifies recovery, following change-management rules.',
    firstSteps: [
      'Check rollback readiness: `/incident rollback <service> --dry-run`.',
      'Run only approved actions; say in the channel before each step.',
      'Verify the SLOs and alerts after the change.',
    ],
  },
};

export function roleOf(word: string): Role | null {
  const lower = word.toLowerCase();
  if ((ROLES as readonly string[]).includes(lower)) return lower as Role;
  return ROLE_ALIASES[lower] ?? null;
}

/** Who holds a role (null when nobody does). */
export function holderOf(incident: Incident, role: Role): string | null {
  return role === 'commander' ? incident.commander : (incident.roles?.[role] ?? null);
}

/** Gives a role to a person; the commander goes through assignCommander (which also acknowledges). */
export function assignRole(incident: Incident, role: Role, user: string, by: string, now: number): Change {
  if (role === 'commander') return assignCommander(incident, user, by, now);
  if (incident.status === 'closed') return refuse('incident.closed', `${incident.id} is closed; closed incidents cannot change.`);
  const from = holderOf(incident, role);
  if (from === user)
    return refuse('incident.same_role', `<@${user}> is already the ${ROLE_GUIDE[role].label.toLowerCase()} of ${incident.id}.`);
  return {
    ok: true,
    incident: { ...incident, roles: { ...(incident.roles ?? {}), [role]: user } },
    events: [{ at: now, actor: by, kind: 'role', text: `${ROLE_GUIDE[role].label}: <@${user}>`, details: { role, from, to: user } }],
  };
}
