import type { KnownBlock } from '@slack/types';
import type { Incident } from '../../../../domain/incident';
import { describeTrend } from '../../../../domain/signals/format-signal-value';
import { describeEvidence } from '../../../../domain/signals/judge-recovery';
import { ACTIONS } from '../ids';
import { actions, context, escapeMrkdwn, section } from './block-kit';
import { slackDate } from './format-time';

/**
 * Live signals on the announcement and in `show`: when measured, the trend now vs at open,
 * "signals unavailable: <reason>" when the source failed, the raise the signals propose
 * (with its button while open), and gate 3's evidence once recovery is shown.
 */
export function signalsBlocks(incident: Incident, open: boolean): KnownBlock[] {
  const signals = incident.signals;
  if (!signals?.latest) return [];
  const { latest, atOpen } = signals;
  const blocks: KnownBlock[] = [];
  const trend = describeTrend(atOpen, latest).filter(
    (line) => !(latest.unavailable && line.endsWith('(not measured at open)') && latest.values[line.split(' ')[0]!] === undefined),
  );
  const facts = [
    `*Signals* (${escapeMrkdwn(latest.source)} ${slackDate(latest.at, '{time}')}): ${trend.length ? escapeMrkdwn(trend.join(' · ')) : '_none read_'}`,
  ];
  if (latest.unavailable) facts.push(`:warning: signals unavailable: ${escapeMrkdwn(latest.unavailable)}`);
  blocks.push(context(facts));
  const proposal = signals.raiseProposal;
  if (open && proposal) {
    blocks.push(section(`:arrow_double_up: Signals support *${proposal.severity}*: ${escapeMrkdwn(proposal.explanation)}`));
    blocks.push(
      actions(`incident_signals_raise:${incident.id}`, [
        { actionId: ACTIONS.raiseSeverityFromSignals, text: `Raise to ${proposal.severity}`, value: incident.id, style: 'danger' },
      ]),
    );
  }
  if (signals.recovery) {
    const r = signals.recovery;
    const parts = [
      ...(r.alerts ? [`all alerts resolved ${slackDate(r.alerts.allResolvedAt, '{time}')}`] : []),
      ...(r.signals.length ? [`${describeEvidence(r.signals)} for ${Math.round(r.holdForMs / 1000)}s`] : []),
    ];
    blocks.push(context([`:white_check_mark: *Recovery validated by evidence* (gate 3): ${escapeMrkdwn(parts.join('; '))}`]));
  }
  return blocks;
}
