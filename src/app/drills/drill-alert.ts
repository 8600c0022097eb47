import type { NormalizedAlert } from '../../domain/alert';
import type { DrillStep } from '../../domain/drills/drill-scenario';
import type { DrillRun } from '../ports/active-drill';

/**
 * The alert one drill step plays, shaped like a generic webhook alert so it takes the real
 * path (grouping, classification from its signals, severity that only rises). The group is
 * the run's own, so a drill never joins a real incident.
 */
export function drillAlert(run: DrillRun, step: DrillStep, at: number): NormalizedAlert {
  const { scenario } = run;
  const fire = step.kind === 'fire' ? step : null;
  return {
    source: 'generic',
    groupKey: `drill:${run.runId}`,
    fingerprint: `drill:${run.runId}:${step.alert}`,
    status: fire ? 'firing' : 'resolved',
    service: scenario.service,
    title: scenario.title,
    description: fire?.summary || scenario.description,
    labels: { alertname: step.alert, service: scenario.service, drill: scenario.name },
    signals: fire?.signals ?? {},
    startsAt: fire ? at : null,
    endsAt: fire ? null : at,
    changedAt: at,
    links: [],
    severityLabel: fire?.severityLabel ?? null,
    deliveryId: null,
  };
}
