import type { Change, Incident } from '../incident';
import { refuse } from '../result';
import type { ChartMoment } from './signal-chart';

export type ChartOutcome =
  | { moment: ChartMoment; posted: true; where: string; fileId: string | null; signals: string[] }
  | { moment: ChartMoment; posted: false; reason: string };

const MOMENT_WORDS: Record<ChartMoment, string> = { at_open: 'at open', at_resolve: 'at resolve' };

/**
 * The timeline notes each chart: posted (which signals, where) or not posted and why. A
 * closed incident takes nothing more; the chart itself is already in Slack or never was.
 */
export function recordChartOutcome(incident: Incident, outcome: ChartOutcome, now: number): Change {
  if (incident.status === 'closed') return refuse('incident.closed', `${incident.id} is closed; closed incidents cannot change.`);
  const moment = MOMENT_WORDS[outcome.moment];
  const text = outcome.posted
    ? `Signal chart posted (${moment}): ${outcome.signals.join(', ') || 'no data'}`
    : `Signal chart not posted: ${outcome.reason} (${moment})`;
  const details = outcome.posted
    ? { moment: outcome.moment, posted: true, where: outcome.where, fileId: outcome.fileId, signals: outcome.signals }
    : { moment: outcome.moment, posted: false, reason: outcome.reason };
  return { ok: true, incident, events: [{ at: now, actor: 'bot', kind: 'signal_chart', text, details }] };
}
