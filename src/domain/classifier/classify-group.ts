import { severityRank } from '../severity';
import { classify, type SeverityDecision } from './classify';
import type { SeverityRules } from './rules-schema';
import type { Signals } from './signals';

/** What the classifier needs from an alert; NormalizedAlert fits this shape. */
export interface ClassifiableAlert {
  status: 'firing' | 'resolved';
  signals: Signals;
  labels: Record<string, string>;
  service: string | null;
}

export interface GroupDecision {
  /** One decision per alert, in input order. */
  perAlert: SeverityDecision[];
  /** The most severe decision among FIRING alerts (first wins a tie); null when none fire. */
  group: (SeverityDecision & { alertIndex: number }) | null;
}

/** A resolved alert still gets a decision (for display) but never drives the group's severity. */
export function classifyGroup(alerts: readonly ClassifiableAlert[], rules: SeverityRules): GroupDecision {
  const perAlert = alerts.map((a) => classify(a.signals, a.labels, a.service, rules));
  let group: GroupDecision['group'] = null;
  perAlert.forEach((decision, alertIndex) => {
    if (alerts[alertIndex]!.status !== 'firing') return;
    if (group === null || severityRank(decision.severity) < severityRank(group.severity)) group = { ...decision, alertIndex };
  });
  return { perAlert, group };
}
