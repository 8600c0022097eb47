import type { KnownBlock } from '@slack/types';
import type { DrillScorecard } from '../../../../domain/drills/drill-scorecard';
import { formatDuration } from '../../../../domain/duration';
import { context, escapeMrkdwn, fields, header } from './block-kit';

const verdict = (met: boolean | null) => (met === null ? '' : met ? ' :white_check_mark: met' : ' :x: missed');

/** The scorecard a drill ends with: each step in drill time, judged against the severity table. */
export function drillScorecardMessage(card: DrillScorecard): { text: string; blocks: KnownBlock[] } {
  const pairs: [string, string][] = card.steps.map((s) => [
    s.label,
    `${s.tookMs === null ? 'did not happen' : formatDuration(s.tookMs)}${s.targetMs === null ? '' : ` (target ${formatDuration(s.targetMs)})`}${verdict(s.met)}`,
  ]);
  pairs.push([
    'Longest gap between status updates',
    `${formatDuration(card.updates.longestGapMs)} (target ${formatDuration(card.updates.targetMs)})${verdict(card.updates.met)}`,
  ]);
  const speed = card.speed > 1 ? `Played at ${card.speed}× speed; times are drill time. ` : '';
  return {
    text: `DRILL scorecard for ${card.incidentId}: SLA clocks met ${card.met}, missed ${card.missed}.`,
    blocks: [
      header(`DRILL scorecard: ${card.incidentId}`),
      fields(pairs),
      context([
        `${speed}Scenario \`${escapeMrkdwn(card.scenario)}\`, ${card.severity}. SLA clocks met *${card.met}*, missed *${card.missed}*. Drills stay out of metrics and response-time figures.`,
      ]),
    ],
  };
}
