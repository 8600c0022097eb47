import { formatDuration } from '../duration';
import type { Change, Incident } from '../incident';
import { isOpenStatus } from '../lifecycle';
import { phrase, user as userRef } from '../phrase';
import { refuse, type Result } from '../result';
import { isMoreSevere, severityRank, type Severity } from '../severity';
import type { TimelineEventInput } from '../timeline';

export type { IncidentStorm, StormChild } from './storm-shape';
import type { IncidentStorm, StormChild } from './storm-shape';

/** What a child group says now (its counts come from its own alert state). */
export interface StormChildFacts {
  groupKey: string;
  name: string;
  severity: Severity;
  firing: number;
  resolved: number;
  foldedFrom?: string | null;
}

export function activeChildren(storm: IncidentStorm): StormChild[] {
  return storm.children.filter((c) => !c.split);
}

/** `groups`: the count to show before the children have joined (at recognition: the threshold). */
export function stormTitle(storm: IncidentStorm, groups?: number): string {
  const n = groups ?? activeChildren(storm).length;
  const by = Object.entries(storm.by)
    .map(([k, v]) => `${k}=${v || '(none)'}`)
    .join(', ');
  return `Alert storm: ${n} alert group${n === 1 ? '' : 's'}${by ? ` (${by})` : ''}`;
}

/** Most severe first, then most firing, then first joined. */
export function sortChildren(children: readonly StormChild[]): StormChild[] {
  return [...children].sort(
    (a, b) => severityRank(a.severity) - severityRank(b.severity) || b.firing - a.firing || a.joinedAt - b.joinedAt,
  );
}

/** Why the parent has its severity: it is a storm, and the highest of its children. */
export function stormReason(storm: IncidentStorm): string {
  const active = activeChildren(storm);
  const top = sortChildren(active)[0];
  const why = `${active.length} new alert groups within ${formatDuration(storm.windowMs)} (storm threshold ${storm.threshold})`;
  return top ? `Alert storm: ${why}; ${top.severity} is the highest of its groups (${top.name}).` : `Alert storm: ${why}.`;
}

/**
 * A group joins the storm, or a member's counts change. The parent's title, severity (the
 * highest of its children, raised never lowered) and reason follow; the first join of a group
 * writes a timeline entry. `base` is the change already made to the parent in the same write
 * (its alert counts), or null.
 */
export function recordStormChild(parent: Incident, facts: StormChildFacts, actor: string, now: number, base: Change | null): Change {
  if (base && !base.ok && base.code !== 'alerts.unchanged') return base;
  const start = base?.ok ? base.incident : parent;
  const events: TimelineEventInput[] = base?.ok ? [...base.events] : [];
  const storm = start.storm;
  if (!storm) return refuse('storm.not_storm', `${parent.id} is not an alert storm.`);
  if (!isOpenStatus(start.status))
    return refuse('alerts.incident_not_open', `${parent.id} is ${start.status}; alerts attach to open incidents only.`);
  const at = storm.children.findIndex((c) => c.groupKey === facts.groupKey);
  const known = at >= 0 ? storm.children[at]! : null;
  if (known?.split) return base ?? refuse('storm.already_split', `${facts.name} was split out into ${known.split.incidentId}.`);
  const child: StormChild = {
    groupKey: facts.groupKey,
    name: known?.name ?? facts.name,
    severity: known && isMoreSevere(known.severity, facts.severity) ? known.severity : facts.severity,
    firing: facts.firing,
    resolved: facts.resolved,
    joinedAt: known?.joinedAt ?? now,
    foldedFrom: known?.foldedFrom ?? facts.foldedFrom ?? null,
  };
  const children = known ? storm.children.map((c, i) => (i === at ? child : c)) : [...storm.children, child];
  const nextStorm: IncidentStorm = { ...storm, children };
  let next: Incident = { ...start, storm: nextStorm, title: stormTitle(nextStorm) };
  if (!known)
    events.push({
      at: now,
      actor,
      kind: 'storm_joined',
      text: facts.foldedFrom
        ? `Alert group ${facts.name} joined the storm (its incident ${facts.foldedFrom} was merged into this one)`
        : `Alert group ${facts.name} joined the storm`,
      details: { groupKey: facts.groupKey, severity: child.severity, ...(facts.foldedFrom ? { foldedFrom: facts.foldedFrom } : {}) },
    });
  if (isMoreSevere(child.severity, next.severity)) {
    events.push({
      at: now,
      actor,
      kind: 'severity',
      text: `Severity ${next.severity} → ${child.severity}`,
      details: { from: next.severity, to: child.severity, reason: `${child.name} is ${child.severity}` },
    });
    next = { ...next, severity: child.severity, severityConfirmed: null };
  }
  // A person's choice of severity keeps their reason; the bot's keeps saying why it is a storm.
  if (!next.severityConfirmed) next = { ...next, severityReason: stormReason(nextStorm) };
  if (!events.length && JSON.stringify(next.storm) === JSON.stringify(start.storm) && next.title === start.title)
    return base ?? refuse('alerts.unchanged', 'Nothing new in this delivery.');
  return { ok: true, incident: next, events };
}

/**
 * An incident a group opened before the storm was recognised is folded into the storm: it
 * is resolved as merged (its alerts now count on the parent), says where it went, and pages
 * nobody again. Gate 3 is met by that reason, recorded like any override.
 */
export function mergeIntoStorm(incident: Incident, parentId: string, now: number): Change {
  if (incident.mergedInto) return refuse('storm.already_merged', `${incident.id} already joined alert storm ${incident.mergedInto}.`);
  if (!isOpenStatus(incident.status))
    return refuse('incident.not_open', `${incident.id} is ${incident.status}; only open incidents join a storm.`);
  const reason = `Joined alert storm ${parentId}: its alerts are counted there.`;
  const gates = {
    readinessPassedAt: null,
    decisionRecordedAt: null,
    recoveryValidatedAt: null,
    reportWrittenAt: null,
    ...(incident.gates ?? {}),
    recoveryOverride: { by: 'bot', reason, at: now },
  };
  return {
    ok: true,
    incident: {
      ...incident,
      status: 'resolved',
      resolvedAt: now,
      resolutionSummary: reason,
      mergedInto: parentId,
      mergedAs: 'storm',
      gates,
    },
    events: [
      {
        at: now,
        actor: 'bot',
        kind: 'merged_into_storm',
        text: reason,
        details: { parent: parentId, from: incident.status, to: 'resolved' },
      },
    ],
  };
}

/** Which child `/incident split` names: its group key exactly, or its alert name when only one group has it. */
export function findStormChild(parent: Incident, which: string): Result<{ child: StormChild }> {
  const storm = parent.storm;
  if (!storm)
    return refuse(
      'storm.not_storm',
      `${parent.id} is not an alert storm; only a storm's alert groups can be split out. Nothing was changed.`,
    );
  const wanted = which.trim();
  const byKey = storm.children.find((c) => c.groupKey === wanted);
  const byName = storm.children.filter((c) => c.name.toLowerCase() === wanted.toLowerCase());
  const found = byKey ?? (byName.length === 1 ? byName[0] : undefined);
  if (!found && byName.length > 1) {
    const open = byName.filter((c) => !c.split);
    if (open.length === 1) return { ok: true, child: open[0]! };
    return refuse(
      'storm.ambiguous_child',
      `${byName.length} alert groups of ${parent.id} are named ${wanted.slice(0, 80)}; name one by its group key (\`/incident show ${parent.id}\` lists them). Nothing was changed.`,
    );
  }
  if (!found) {
    const some = sortChildren(activeChildren(storm))
      .slice(0, 5)
      .map((c) => c.name)
      .join(', ');
    return refuse(
      'storm.unknown_child',
      `No alert group ${wanted.slice(0, 80)} in storm ${parent.id}${some ? ` (its groups include ${some})` : ''}. Name one by alert name or group key; \`/incident show ${parent.id}\` lists them. Nothing was changed.`,
    );
  }
  if (found.split)
    return refuse(
      'storm.already_split',
      phrase`${found.name} was already split out of ${parent.id} into ${found.split.incidentId} by ${userRef(found.split.by)}. Nothing was changed.`,
    );
  return { ok: true, child: found };
}

/** The parent records that a person split a child out into its own incident. */
export function splitStormChild(parent: Incident, groupKey: string, incidentId: string, by: string, now: number): Change {
  const found = findStormChild(parent, groupKey);
  if (!found.ok) return found;
  const storm = parent.storm!;
  const children = storm.children.map((c) => (c.groupKey === groupKey ? { ...c, split: { incidentId, by, at: now } } : c));
  const nextStorm: IncidentStorm = { ...storm, children };
  return {
    ok: true,
    incident: {
      ...parent,
      storm: nextStorm,
      title: stormTitle(nextStorm),
      ...(parent.severityConfirmed ? {} : { severityReason: stormReason(nextStorm) }),
    },
    events: [
      {
        at: now,
        actor: by,
        kind: 'storm_split',
        text: phrase`Alert group ${found.child.name} split out into ${incidentId} by ${userRef(by)}`,
        details: { groupKey, incidentId },
      },
    ],
  };
}
