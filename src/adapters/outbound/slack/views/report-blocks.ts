import type { ReportDocument, ReportPart } from '../../../../domain/report/report-document';
import { context, escapeMrkdwn, header, LIMITS, section, truncate } from './block-kit';
import type { KnownBlock } from '@slack/types';
import { slackText } from './slack-text';

export interface ReportMessageModel {
  document: ReportDocument;
  revision: number;
  writtenBy: string;
  /** Where the full Markdown is (mrkdwn: a link or a path), said whenever something is cut short. */
  fullReport: string;
}

// Blocks kept back from the timeline: the note of what was left out and the full-report line.
const FOOTER_BLOCKS = 2;
// Under the 3,000-character section limit, leaving room for the "…" and a heading.
const SECTION_BUDGET = LIMITS.sectionText - 100;
// The timeline as a whole stays readable in a channel (and far from Slack's message size limit).
const TIMELINE_BUDGET = 12_000;

function partText(part: ReportPart): string {
  const paragraphs = part.paragraphs.map(slackText);
  const items = part.items.map((item) => `• ${slackText(item)}`);
  const body = [...paragraphs, ...items].join('\n') || '_None recorded._';
  return `*${part.title}*\n${body}`;
}

/** Timeline lines packed into as few sections as fit, at most `maxBlocks`; returns how many lines were left out. */
function timelineBlocks(lines: string[], maxBlocks: number): { blocks: KnownBlock[]; omitted: number } {
  const blocks: KnownBlock[] = [];
  let current = '*Timeline* (UTC)';
  let used = 0;
  let chars = 0;
  for (const line of lines) {
    chars += line.length + 1;
    if (chars > TIMELINE_BUDGET) break;
    if (current.length + 1 + line.length > SECTION_BUDGET) {
      if (blocks.length + 1 >= maxBlocks) break;
      blocks.push(section(current));
      current = '';
    }
    current = current ? `${current}\n${line}` : truncate(line, SECTION_BUDGET);
    used += 1;
  }
  if (current && blocks.length < maxBlocks) blocks.push(section(current));
  return { blocks, omitted: lines.length - used };
}

/**
 * The incident report as Slack shows it: a header, the facts, a section per part (lists as
 * bullets, people as mentions) and the timeline as a compact list, within Block Kit's limits
 * (50 blocks, 3,000 characters a section, 150 a header). What does not fit is cut with a line
 * saying where the full report is.
 */
export function reportBlocks({ document, revision, writtenBy, fullReport }: ReportMessageModel): { text: string; blocks: KnownBlock[] } {
  const facts = document.facts.map((f) => `*${f.label}:* ${slackText(f.value)}`).join(' · ');
  const blocks: KnownBlock[] = [
    header(`Post-mortem ${document.incidentId}: ${document.title}`),
    context([`Revision ${revision} by <@${writtenBy}> · ${facts}`]),
  ];
  let cut = false;
  for (const part of document.parts) {
    const text = partText(part);
    if (text.length > LIMITS.sectionText) cut = true;
    blocks.push(section(truncate(text, LIMITS.sectionText)));
  }
  const lines = document.timeline.map((e) => `• ${e.when.replace(/ UTC$/, '')} — ${slackText(e.actor)} — ${slackText(e.text)}`);
  const room = LIMITS.blocks - blocks.length - FOOTER_BLOCKS;
  const timeline = timelineBlocks(lines, Math.max(room, 0));
  blocks.push(...timeline.blocks);
  if (timeline.omitted > 0) blocks.push(context([`…and ${timeline.omitted} more timeline entries.`]));
  blocks.push(context([`${cut || timeline.omitted > 0 ? 'Shortened here. ' : ''}Full report: ${fullReport}`]));
  return {
    text: truncate(
      `Incident report for ${document.incidentId} (revision ${revision}): ${escapeMrkdwn(document.title)}`,
      LIMITS.sectionText,
    ),
    blocks: blocks.slice(0, LIMITS.blocks),
  };
}
