import type { Incident } from '../../../domain/incident';
import { escapeBlock, escapeInline } from '../../../domain/report/escape-markdown';
import { displayActor, namedText, type UserNames } from '../../../domain/report/people-text';
import { utcDateTime } from '../../../domain/report/utc-time';
import { DEFAULT_SEVERITY_DEFINITIONS } from '../../../domain/severity';

/**
 * The hidden marker that makes issue creation idempotent. User text in issue bodies is
 * escaped (`<` becomes `&lt;`), so nobody can plant a marker for another incident.
 */
export function incidentMarker(incidentId: string, suffix?: string): string {
  return `<!-- incident-bot:${incidentId}${suffix ? `:${suffix}` : ''} -->`;
}

/** GitHub caps titles at 256 characters. */
export function incidentIssueTitle(incident: Incident): string {
  return truncate(`[${incident.severity}] ${incident.id} ${incident.title.replace(/\s+/g, ' ').trim()}`, 256);
}

/** The title with its leading severity tag set to `severity`; a title without the tag is returned as is. */
export function retagTitle(title: string, severity: Incident['severity']): string {
  return title.replace(/^\[P[0-3]\] /, `[${severity}] `);
}

export function incidentLabels(incident: Incident): string[] {
  // Label names are capped at 50 characters.
  return [
    'incident',
    `severity:${incident.severity}`,
    ...(incident.service ? [truncate(`service:${incident.service}`, 50)] : []),
    ...(incident.drill ? ['drill'] : []),
  ];
}

/** `https://acme.slack.com/archives/C123/p1700000000000100`, Slack's permalink shape. */
export function slackPermalink(workspaceUrl: string, channel: string, ts?: string): string {
  const base = `${workspaceUrl.replace(/\/+$/, '')}/archives/${channel}`;
  return ts ? `${base}/p${ts.replace('.', '')}` : base;
}

export function renderIssueBody(incident: Incident, slackWorkspaceUrl?: string, names: UserNames = {}): string {
  const severity = DEFAULT_SEVERITY_DEFINITIONS[incident.severity];
  const lines = [
    incidentMarker(incident.id),
    `**Incident**: ${incident.id} · **Severity**: ${incident.severity} (${severity.name}) · **Status**: ${incident.status}`,
    `**Service**: ${incident.service ? escapeInline(incident.service) : '—'} · **Opened**: ${utcDateTime(incident.createdAt)} by ${escapeInline(displayActor(incident.openedBy, names))} (${incident.source})`,
    '',
    '### Summary',
    '',
    escapeBlock(namedText(incident.summary || incident.title, names)) || '_No summary yet._',
    '',
    '### Severity reasoning',
    '',
    `${severity.definition}.`,
    '',
    escapeBlock(namedText(incident.severityReason, names)),
  ];
  const alertContext = incident.alertContext;
  if (alertContext?.links.length) {
    // URLs were made safe for links when the context was built; titles come from the sender.
    lines.push('', '### Alert links', '', ...alertContext.links.map((l) => `- [${plainMarkdown(l.title)}](${l.url}) (${l.kind})`));
  }
  if (alertContext?.labels.length) {
    lines.push(
      '',
      '### Alert labels',
      '',
      alertContext.labels.map((l) => `${plainMarkdown(l.name)}: ${plainMarkdown(l.value)}`).join(' · '),
    );
  }
  const slack: string[] = [];
  if (slackWorkspaceUrl && incident.announcement)
    slack.push(`- Announcement: ${slackPermalink(slackWorkspaceUrl, incident.announcement.channel, incident.announcement.ts)}`);
  if (incident.channel) {
    const link = slackWorkspaceUrl ? ` (${slackPermalink(slackWorkspaceUrl, incident.channel.id)})` : '';
    slack.push(`- Incident channel: #${escapeInline(incident.channel.name)}${link}`);
  }
  if (slack.length) lines.push('', '### Slack', '', ...slack);
  lines.push('', '_Maintained by incident-bot: timeline updates arrive as comments, the report as a commit._');
  return `${lines.join('\n')}\n`;
}

/**
 * `@name` and `@org/team` from alert senders would notify people on GitHub: a zero-width
 * joiner after the `@` keeps the text readable but no longer a mention.
 */
export function neutraliseMentions(text: string): string {
  return text.replace(/@(?=[A-Za-z0-9])/g, '@\u2060');
}

/** Sender text shown as typed: no mention, no HTML, no emphasis, no link. */
function plainMarkdown(text: string): string {
  return escapeInline(neutraliseMentions(text)).replace(/[\\`*_[\]~]/g, '\\$&');
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
