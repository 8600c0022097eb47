import type { KnownBlock } from '@slack/types';
import type { IncidentPaperTrail } from '../../../../app/paper-trail/paper-trail-service';
import type { Incident } from '../../../../domain/incident';
import { ownerRef } from '../../../../domain/paper-trail/parse-action-item';
import { slackText } from './slack-text';
import { context, escapeMrkdwn, section } from './block-kit';
import { slackDate } from './format-time';

/** `/incident show`: the four gates with what each still needs, the report, the action items. */
export function paperTrailSection(incident: Incident, trail: IncidentPaperTrail, options: { enforced: boolean }): KnownBlock[] {
  const gateLines = trail.gates.map((g) => {
    const head = `${g.passed ? ':white_check_mark:' : ':no_entry:'} *Gate ${g.gate} — ${escapeMrkdwn(g.name)}*`;
    return g.passed ? head : `${head}\n${g.missing.map((m) => `    • ${escapeMrkdwn(m)}`).join('\n')}`;
  });
  const blocks: KnownBlock[] = [
    section(`*Gates*${options.enforced ? '' : ' (not enforced in this installation)'}\n${gateLines.join('\n')}`),
  ];
  const override = incident.gates?.recoveryOverride;
  if (override) blocks.push(context([`Gate 3 overridden by <@${override.by}>: ${escapeMrkdwn(override.reason)}`]));

  const report = trail.report
    ? `*Report:* revision ${trail.report.revision}, written by <@${trail.report.writtenBy}> ${slackDate(trail.report.writtenAt)}`
    : '*Report:* _not written yet_ — `/incident report`';
  const github = incident.github ? ` · *GitHub:* <${incident.github.url}|issue #${incident.github.issueNumber}>` : '';
  blocks.push(context([`${report}${github}`]));

  if (trail.actionItems.length) {
    const lines = trail.actionItems.slice(0, 20).map((item) => {
      const state = item.failed
        ? ':warning: issue not created'
        : item.issueNumber !== undefined
          ? `${item.state === 'closed' ? ':white_check_mark: closed' : ':large_green_circle: open'} <${item.issueUrl}|#${item.issueNumber}>`
          : ':hourglass_flowing_sand: issue pending';
      return `• ${escapeMrkdwn(item.text)} — ${slackText([ownerRef(item.owner)])} — due ${item.due ?? 'not set'} — ${state}`;
    });
    const stale = trail.statesFresh ? '' : '\n_GitHub did not answer in time: states are the last known._';
    blocks.push(section(`*Action items* (${trail.actionItems.length})\n${lines.join('\n')}${stale}`));
  }
  return blocks;
}
