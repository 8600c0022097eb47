import { formatDuration } from '../duration';
import type { Incident } from '../incident';
import { phrase, user, type Phrase } from '../phrase';
import { DEFAULT_SEVERITY_DEFINITIONS } from '../severity';
import type { IncidentReportContext } from './render-incident-report';
import { utcClock, utcDate, utcDateTime } from './utc-time';

/** A part of the report: a heading, paragraphs, and a list. */
export interface ReportPart {
  title: string;
  paragraphs: Phrase[];
  items: Phrase[];
}

/**
 * The incident report as structure, for front ends that do not show Markdown (Slack draws it as
 * blocks). People are references, so each front end shows them its way (Slack as mentions).
 * Pure, like renderIncidentReport; the Markdown stays the full record.
 */
export interface ReportDocument {
  incidentId: string;
  title: string;
  facts: { label: string; value: Phrase }[];
  parts: ReportPart[];
  /** Every timeline entry, oldest first, `when` as HH:MM UTC (with the date on a later day). */
  timeline: { when: string; actor: Phrase; text: Phrase }[];
}

const PERSON = /^[UW][A-Z0-9]{2,}$/;

/** An actor as a reference when it is a person, else as words (the bot, an alert source). */
function actor(id: string): Phrase {
  if (PERSON.test(id)) return [user(id)];
  return id === 'bot' ? 'incident-bot' : id.replace(/^alert:/, '');
}

/** An action item's owner: a Slack id becomes a reference; a name as typed stays words. */
function owner(id: string): Phrase {
  return PERSON.test(id.replace(/^@/, '')) ? [user(id.replace(/^@/, ''))] : id;
}

function duration(incident: Incident): string {
  return incident.resolvedAt === null ? 'unresolved' : formatDuration(incident.resolvedAt - incident.createdAt);
}

function part(title: string, paragraphs: Phrase[], items: Phrase[] = []): ReportPart {
  return { title, paragraphs: paragraphs.filter((p) => (typeof p === 'string' ? p.trim() : p.length)), items };
}

export function reportDocument(context: IncidentReportContext): ReportDocument {
  const { incident, input, rollback, timeline } = context;
  const definition = DEFAULT_SEVERITY_DEFINITIONS[incident.severity];
  const facts: ReportDocument['facts'] = [
    { label: 'Date', value: utcDate(incident.createdAt) },
    { label: 'Severity', value: `${incident.severity} (${definition.name})` },
    { label: 'Duration', value: duration(incident) },
    { label: 'Status', value: incident.status },
  ];
  if (incident.service) facts.push({ label: 'Service', value: incident.service });
  if (incident.commander) facts.push({ label: 'Commander', value: actor(incident.commander) });

  const impactFacts = [
    input.usersAffected ? `Users affected: ${input.usersAffected}` : '',
    input.sloImpact ? `SLO impact: ${input.sloImpact}` : '',
  ].filter(Boolean);
  const executions = rollback?.executions ?? [];
  const verification = rollback?.verification;
  const rollbackLines: Phrase[] = [
    ...executions.map((e) => `${e.runner} (${e.kind}): ${e.outcome} in ${formatDuration(e.durationMs)}`),
    ...(verification
      ? [
          `Verification ${verification.passed ? 'passed' : 'FAILED'} at ${utcDateTime(verification.at)} (${verification.checks.filter((c) => c.passed).length}/${verification.checks.length} checks)`,
        ]
      : []),
  ];
  const parts: ReportPart[] = [
    part('Summary', [incident.summary || incident.title]),
    part('Severity', [phrase`${incident.severity} — ${definition.name}. Why: ${incident.severityReason}`]),
    part('Impact', [input.impact], impactFacts),
    part('Root cause', [input.rootCause]),
    ...(rollbackLines.length ? [part('Rollback', [], rollbackLines)] : []),
    part('Resolution', [incident.resolutionSummary ?? 'No resolution summary recorded yet.']),
    part('What went well', [], input.wentWell),
    part('What could be improved', [], input.couldImprove),
    part(
      'Action items',
      input.actionItems.length ? [] : ['None recorded.'],
      input.actionItems.map(
        (item) => phrase`${item.state === 'closed' ? '[done] ' : ''}${item.text} — ${owner(item.owner)}, due ${item.due ?? 'not set'}`,
      ),
    ),
    part('Prevention', [input.prevention]),
  ];
  const firstDay = timeline[0] ? utcDate(timeline[0].at) : '';
  return {
    incidentId: incident.id,
    title: incident.title,
    facts,
    parts,
    timeline: timeline.map((event) => ({
      when: utcDate(event.at) === firstDay ? utcClock(event.at) : utcDateTime(event.at),
      actor: actor(event.actor),
      text: event.text,
    })),
  };
}
