import { createHash } from 'node:crypto';
import type { Incident } from '../../domain/incident';
import { phrase, user as userRef } from '../../domain/phrase';
import { emptyAlerts, recordAlertState } from '../../domain/record-alert-state';
import { refuse, type Result } from '../../domain/result';
import { findStormChild, splitStormChild } from '../../domain/storm/alert-storm';
import type { IncidentService } from '../incident-service';
import type { StormAlertState } from '../ports/storm-window';
import { StormCorrelator } from './storm-correlator';

/**
 * `/incident split`: a person takes one alert group out of a storm into its own incident
 * (its own announcement and, for P0/P1, its own page). Its alerts move with it: from then on
 * the group counts on the new incident, and the parent stops counting them. Both timelines say
 * so. A repeat finds the same incident (one per parent and group) and changes nothing.
 */
export interface SplitDeps {
  service: IncidentService;
  alerts: StormAlertState;
  /** Writes to one parent one at a time on this replica (the correlator's lanes). */
  lanes: Pick<StormCorrelator, 'inLane'>;
}

export async function splitStormChildOut(
  deps: SplitDeps,
  input: { parentId: string; which: string; by: string },
): Promise<Result<{ incident: Incident; parent: Incident; notices: string[] }>> {
  const { service, alerts } = deps;
  const parent = await service.get(input.parentId);
  if (!parent) return refuse('incident.not_found', `No incident ${input.parentId}. \`/incident list\` shows the open ones.`);
  const found = findStormChild(parent, input.which);
  if (!found.ok) return found;
  const { child } = found;
  const groupId = createHash('sha256').update(child.groupKey).digest('hex').slice(0, 20);
  const opened = await service.open(
    {
      title: child.name,
      summary: `Split out of alert storm ${parent.id}.`,
      severity: child.severity,
      severityReason: phrase`${child.severity}: its alert group's severity in storm ${parent.id}, split out by ${userRef(input.by)}`,
      service: null,
      openedBy: input.by,
      source: parent.source,
      alerts: emptyAlerts(child.groupKey),
    },
    { idempotencyKey: `stormsplit:${parent.id}:${groupId}` },
  );
  const incident = opened.incident;
  // The parent records the split first: a second, concurrent split is refused here.
  const marked = await deps.lanes.inLane(parent.id, () =>
    service.apply(parent.id, (current, now) => splitStormChild(current, child.groupKey, incident.id, input.by, now)),
  );
  if (!marked.ok) return marked;
  // From now on the group counts on its own incident; its alerts so far move with it.
  await alerts.rebind(child.groupKey, parent.id, incident.id);
  const states = await alerts.states(StormCorrelator.childCountsId(parent.id, child.groupKey));
  const moved = await alerts.record(incident.id, states);
  const left = await alerts.forget(
    parent.id,
    states.map((s) => s.fingerprint),
  );
  const note = (text: string) => ({ at: service.now(), actor: input.by, kind: 'storm_split', text, details: { parent: parent.id } });
  await service.apply(incident.id, (current, now) => {
    const counted = recordAlertState(
      current,
      {
        groupKey: child.groupKey,
        snapshot: { firing: moved.firing, resolved: moved.resolved, seq: moved.seq },
        truncated: 0,
        decision: null,
        actor: input.by,
        flapWindowMs: 0,
        changeText: null,
      },
      now,
    );
    const base = counted.ok ? counted : { ok: true as const, incident: current, events: [] };
    return { ...base, events: [...base.events, note(`Split out of alert storm ${parent.id} (alert group ${child.name})`)] };
  });
  const after = await deps.lanes.inLane(parent.id, () =>
    service.apply(parent.id, (current, now) =>
      recordAlertState(
        current,
        {
          groupKey: current.alerts?.groupKey ?? '',
          snapshot: { firing: left.firing, resolved: left.resolved, seq: left.seq },
          truncated: 0,
          decision: null,
          actor: input.by,
          flapWindowMs: 0,
          changeText: `${states.length} alert(s) of ${child.name} moved to ${incident.id}`,
        },
        now,
      ),
    ),
  );
  const latest = (after.ok ? after.incident : await service.get(parent.id)) ?? marked.incident;
  return { ok: true, incident, parent: latest, notices: [...opened.notices, ...(marked.notices ?? [])] };
}
