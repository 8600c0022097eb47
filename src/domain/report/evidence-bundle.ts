import { formatDuration } from '../duration';
import { holderOf, ROLES } from '../roles';
import { canonicalJson } from './canonical-json';
import type { DecisionRecord } from './records';
import { renderIncidentReport, type IncidentReportContext } from './render-incident-report';
import { renderTimelineLines } from './render-timeline';
import { utcIso } from './utc-time';
import { namedText } from './people-text';

export interface EvidenceContext extends IncidentReportContext {
  decisions: DecisionRecord[];
}

/** The evidence files the four-gate incident protocol asks for, in the order a reader should open them. */
export const EVIDENCE_FILES = [
  'INCIDENT-REPORT.md',
  'severity-assessment.json',
  'decision-log.json',
  'mitigation-execution-report.json',
  'recovery-validation.json',
  'incident-timeline.md',
  'resolution-summary.json',
] as const;

export type EvidenceFileName = (typeof EVIDENCE_FILES)[number];

/**
 * The four-gate protocol's evidence files, built from what the bot already holds. Deterministic:
 * sorted keys, stable ordering, UTC ISO times; two builds from the same inputs are
 * byte-identical, so committing the bundle again is a no-op.
 */
export function buildEvidenceFiles(context: EvidenceContext): Record<EvidenceFileName, string> {
  const { incident, rollback, severityAssessment } = context;
  const user = (id: string | null | undefined) => (id ? { id, name: context.userNames?.[id] ?? null } : null);

  const severity = {
    incidentId: incident.id,
    severity: incident.severity,
    reason: namedText(incident.severityReason, context.userNames),
    rule: severityAssessment?.rule ?? null,
    explanation: severityAssessment?.explanation ?? null,
    observations: severityAssessment?.observations ?? {},
    confirmed: incident.severityConfirmed !== null,
    confirmedBy: user(incident.severityConfirmed?.by ?? severityAssessment?.confirmedBy),
    confirmedAt: incident.severityConfirmed ? utcIso(incident.severityConfirmed.at) : null,
  };

  // Stable sort by time keeps same-millisecond decisions in the order they were recorded.
  const decisions = context.decisions
    .map((d, index) => ({ d, index }))
    .sort((a, b) => a.d.at - b.d.at || a.index - b.index)
    .map(({ d }) => ({ at: utcIso(d.at), kind: d.kind, by: user(d.by), action: d.action, reason: d.reason ?? null }));

  const executions = (rollback?.executions ?? []).map((e) => ({
    runner: e.runner,
    kind: e.kind,
    outcome: e.outcome,
    exitCode: e.exitCode ?? null,
    conclusion: e.conclusion ?? null,
    startedAt: utcIso(e.startedAt),
    finishedAt: utcIso(e.finishedAt),
    durationMs: e.durationMs,
    outputExcerpt: e.outputExcerpt,
    link: e.link ?? null,
  }));

  const verification = rollback?.verification;
  // Gate 3 met by evidence (alerts resolved, signals under every rule for the hold window) counts like passed checks.
  const byEvidence = incident.signals?.recovery ?? null;
  const evidence = byEvidence
    ? {
        evidence: {
          at: utcIso(byEvidence.at),
          holdForMs: byEvidence.holdForMs,
          source: byEvidence.source,
          alerts: byEvidence.alerts
            ? {
                groupKey: byEvidence.alerts.groupKey,
                resolved: byEvidence.alerts.resolved,
                allResolvedAt: utcIso(byEvidence.alerts.allResolvedAt),
              }
            : null,
          signals: byEvidence.signals.map((s) => ({ signal: s.signal, max: s.max, threshold: s.threshold, samples: s.samples })),
        },
      }
    : {};
  const recovery = verification
    ? {
        incidentId: incident.id,
        status: verification.passed ? 'passed' : 'failed',
        passed: verification.passed,
        at: utcIso(verification.at),
        checks: verification.checks.map((c) => ({ name: c.name, passed: c.passed, detail: c.detail })),
        ...evidence,
      }
    : byEvidence
      ? { incidentId: incident.id, status: 'passed', passed: true, at: utcIso(byEvidence.at), checks: [], ...evidence }
      : { incidentId: incident.id, status: 'not_run', passed: false, at: null, checks: [] };

  const timelineLines = renderTimelineLines(context.timeline, context.userNames);
  const timelineMd = [
    `# Incident Timeline: ${incident.id}`,
    '',
    ...(timelineLines.length ? timelineLines : ['_No timeline events._']),
    '',
  ].join('\n');

  const resolution = {
    incidentId: incident.id,
    title: incident.title,
    status: incident.status,
    severity: incident.severity,
    openedAt: utcIso(incident.createdAt),
    acknowledgedAt: incident.acknowledgedAt === null ? null : utcIso(incident.acknowledgedAt),
    resolvedAt: incident.resolvedAt === null ? null : utcIso(incident.resolvedAt),
    closedAt: incident.closedAt === null ? null : utcIso(incident.closedAt),
    durationMs: incident.resolvedAt === null ? null : incident.resolvedAt - incident.createdAt,
    duration: incident.resolvedAt === null ? null : formatDuration(incident.resolvedAt - incident.createdAt),
    summary: incident.resolutionSummary === null ? null : namedText(incident.resolutionSummary, context.userNames),
    mitigated: executions.some((e) => e.outcome === 'succeeded'),
    recoveryValidated: (verification?.passed ?? false) || byEvidence !== null,
    actionItems: context.input.actionItems.map((a) => ({
      text: a.text,
      owner: user(a.owner),
      due: a.due ?? null,
      issueUrl: a.issueUrl ?? null,
      state: a.state ?? 'open',
    })),
    roles: Object.fromEntries(ROLES.map((role) => [role, user(holderOf(incident, role))])),
  };

  return {
    'INCIDENT-REPORT.md': renderIncidentReport(context),
    'severity-assessment.json': canonicalJson(severity),
    'decision-log.json': canonicalJson({ incidentId: incident.id, decisions }),
    'mitigation-execution-report.json': canonicalJson({ incidentId: incident.id, executed: executions.length > 0, executions }),
    'recovery-validation.json': canonicalJson(recovery),
    'incident-timeline.md': timelineMd,
    'resolution-summary.json': canonicalJson(resolution),
  };
}
