import { escapeInline } from '../report/escape-markdown';
import { displayActor, namedText, type UserNames } from '../report/people-text';
import { utcDateTime } from '../report/utc-time';
import type { TimelineEvent } from '../timeline';

/** Timeline kinds that become a comment on the incident's GitHub issue, with their heading. */
const SIGNIFICANT: Record<string, string> = {
  severity: 'Severity changed',
  severity_confirmed: 'Severity confirmed',
  status: 'Status changed',
  status_update: 'Status update',
  commander: 'Commander',
  resolution_summary: 'Resolution',
  reopened: 'Reopened',
  recovery_override: 'Recovery validation overridden',
  report_written: 'Incident report',
  action_item: 'Action item',
};

/** Rollback decisions, executions and verifications: whatever the rollback flow names them. */
const ROLLBACK_KIND = /^(rollback|mitigation|verification|recovery|decision|approval|rejection)/;

export function isSignificant(kind: string): boolean {
  return kind in SIGNIFICANT || ROLLBACK_KIND.test(kind);
}

function heading(kind: string): string {
  return SIGNIFICANT[kind] ?? kind.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

/**
 * One timeline entry as an issue comment. The report link is added when the report has
 * been published, so the comment for `report_written` points at the committed file.
 */
export function issueComment(event: TimelineEvent, extra: { reportUrl?: string | null; names?: UserNames } = {}): string {
  const who = escapeInline(displayActor(event.actor, extra.names));
  const lines = [`**${heading(event.kind)}** · ${utcDateTime(event.at)} · ${who}`, '', escapeInline(namedText(event.text, extra.names))];
  if (event.kind === 'report_written' && extra.reportUrl) lines.push('', `Report: ${extra.reportUrl}`);
  return lines.join('\n');
}
