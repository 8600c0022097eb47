import { describe, expect, it } from 'vitest';
import { buildEvidenceFiles, EVIDENCE_FILES } from '../../../src/domain/report/evidence-bundle';
import { renderIncidentReport } from '../../../src/domain/report/render-incident-report';
import { DECISIONS, REPORT_INPUT, ROLLBACK, scriptedIncident, SEVERITY_ASSESSMENT, USER_NAMES } from './scripted-incident';

function build() {
  const { incident, timeline } = scriptedIncident();
  const context = {
    incident,
    timeline,
    input: REPORT_INPUT,
    rollback: ROLLBACK,
    severityAssessment: SEVERITY_ASSESSMENT,
    userNames: USER_NAMES,
    decisions: DECISIONS,
  };
  return { context, files: buildEvidenceFiles(context) };
}

const json = (files: Record<string, string>, name: string) => JSON.parse(files[name]!);

describe('buildEvidenceFiles', () => {
  it("produces the four-gate protocol's evidence files, JSON ones parseable", () => {
    const { files } = build();
    expect(Object.keys(files).sort()).toEqual([...EVIDENCE_FILES].sort());
    expect(Object.keys(files).sort()).toEqual([
      'INCIDENT-REPORT.md',
      'decision-log.json',
      'incident-timeline.md',
      'mitigation-execution-report.json',
      'recovery-validation.json',
      'resolution-summary.json',
      'severity-assessment.json',
    ]);
    for (const name of EVIDENCE_FILES.filter((n) => n.endsWith('.json'))) {
      expect(() => JSON.parse(files[name]), name).not.toThrow();
      expect(files[name].endsWith('\n')).toBe(true);
    }
  });

  it('severity-assessment.json: rule, values, who confirmed and when', () => {
    expect(json(build().files, 'severity-assessment.json')).toEqual({
      incidentId: 'INC-20261121-001',
      severity: 'P1',
      reason: 'error_rate 18% > 15% → P1',
      rule: 'error_rate > 15% → P1',
      explanation: 'Error rate 18% is above the P1 threshold of 15%.',
      observations: { error_rate: 0.18, p95_ms: 1234 },
      confirmed: true,
      confirmedBy: { id: 'U0CAROL', name: 'carol' },
      confirmedAt: '2026-11-21T14:12:00Z',
    });
  });

  it('decision-log.json: every decision with user and time, same-millisecond ones in recorded order', () => {
    const log = json(build().files, 'decision-log.json');
    expect(log.decisions).toEqual([
      {
        at: '2026-11-21T14:18:00Z',
        kind: 'proposal',
        by: { id: 'U0ALICE', name: 'alice' },
        action: 'rollback checkout via checkout-rollback (level 2)',
        reason: null,
      },
      {
        at: '2026-11-21T14:20:00Z',
        kind: 'denial',
        by: { id: 'U0EVE', name: 'eve' },
        action: 'approve rollback checkout-rollback',
        reason: 'not an approver for checkout',
      },
      {
        at: '2026-11-21T14:20:00Z',
        kind: 'approval',
        by: { id: 'U0DAVE', name: 'dave' },
        action: 'rollback checkout via checkout-rollback (level 2)',
        reason: null,
      },
    ]);
    // Given out of order, the log is still chronological.
    const { context } = build();
    const shuffled = buildEvidenceFiles({ ...context, decisions: [DECISIONS[1]!, DECISIONS[0]!, DECISIONS[2]!] });
    expect(json(shuffled, 'decision-log.json').decisions.map((d: { kind: string }) => d.kind)).toEqual(['proposal', 'denial', 'approval']);
  });

  it('mitigation and recovery files mirror the rollback records', () => {
    const { files } = build();
    const report = json(files, 'mitigation-execution-report.json');
    expect(report.executed).toBe(true);
    expect(report.executions).toEqual([
      {
        runner: 'checkout-rollback',
        kind: 'script',
        outcome: 'succeeded',
        exitCode: 0,
        conclusion: null,
        startedAt: '2026-11-21T14:21:00Z',
        finishedAt: '2026-11-21T14:21:28Z',
        durationMs: 28000,
        outputExcerpt: ROLLBACK.executions[0]!.outputExcerpt,
        link: 'https://ci.example.com/runs/42',
      },
    ]);
    const recovery = json(files, 'recovery-validation.json');
    expect(recovery).toMatchObject({ status: 'passed', passed: true, at: '2026-11-21T14:22:10Z' });
    expect(recovery.checks).toEqual(ROLLBACK.verification!.checks);
  });

  it('resolution-summary.json and incident-timeline.md follow the incident', () => {
    const { files, context } = build();
    expect(json(files, 'resolution-summary.json')).toMatchObject({
      status: 'resolved',
      openedAt: '2026-11-21T14:02:00Z',
      acknowledgedAt: '2026-11-21T14:05:00Z',
      resolvedAt: '2026-11-21T15:07:00Z',
      closedAt: null,
      durationMs: 65 * 60_000,
      duration: '1h 5m',
      summary: context.incident.resolutionSummary,
      mitigated: true,
      recoveryValidated: true,
    });
    expect(json(files, 'resolution-summary.json').actionItems).toHaveLength(3);
    const timeline = files['incident-timeline.md'].trimEnd().split('\n');
    expect(timeline[0]).toBe('# Incident Timeline: INC-20261121-001');
    expect(timeline.slice(2)).toHaveLength(context.timeline.length);
    expect(timeline[2]).toBe('- 14:02 UTC — alice — Opened P2: Checkout error rate 18%');
    expect(files['INCIDENT-REPORT.md']).toBe(renderIncidentReport(context));
  });

  it('is deterministic: equal inputs give byte-identical files, whatever the key order', () => {
    const first = build().files;
    const { context } = build();
    const reordered = buildEvidenceFiles({
      ...context,
      severityAssessment: { ...SEVERITY_ASSESSMENT, observations: { p95_ms: 1234, error_rate: 0.18 } },
      rollback: { ...ROLLBACK, signalsAtRollback: { error_rate: 0.18, data_loss: false, p95_ms: 1234 } },
    });
    expect(reordered).toEqual(first);
    // Keys sorted at every depth.
    const keys = Object.keys(json(first, 'resolution-summary.json'));
    expect(keys).toEqual([...keys].sort());
  });

  it('without a rollback: nothing executed, validation not run', () => {
    const { context } = build();
    const files = buildEvidenceFiles({ ...context, rollback: undefined, decisions: [] });
    expect(json(files, 'mitigation-execution-report.json')).toEqual({ incidentId: 'INC-20261121-001', executed: false, executions: [] });
    expect(json(files, 'recovery-validation.json')).toEqual({
      incidentId: 'INC-20261121-001',
      status: 'not_run',
      passed: false,
      at: null,
      checks: [],
    });
    expect(json(files, 'decision-log.json').decisions).toEqual([]);
  });

  it('gate 3 met by evidence: recovery-validation.json holds the alerts and signal values', () => {
    const { context } = build();
    const at = Date.UTC(2026, 10, 21, 15, 0, 0);
    const incident = {
      ...context.incident,
      signals: {
        atOpen: null,
        latest: null,
        raiseProposal: null,
        recovery: {
          at,
          holdForMs: 300_000,
          source: 'Prometheus',
          alerts: { groupKey: 'g1', resolved: 2, allResolvedAt: at - 300_000 },
          signals: [{ signal: 'error_rate', max: 0.4, threshold: 10, samples: 30 }],
        },
      },
    };
    const files = buildEvidenceFiles({ ...context, incident, rollback: undefined, decisions: [] });
    expect(json(files, 'recovery-validation.json')).toEqual({
      incidentId: 'INC-20261121-001',
      status: 'passed',
      passed: true,
      at: '2026-11-21T15:00:00Z',
      checks: [],
      evidence: {
        at: '2026-11-21T15:00:00Z',
        holdForMs: 300_000,
        source: 'Prometheus',
        alerts: { groupKey: 'g1', resolved: 2, allResolvedAt: '2026-11-21T14:55:00Z' },
        signals: [{ signal: 'error_rate', max: 0.4, threshold: 10, samples: 30 }],
      },
    });
    expect(json(files, 'resolution-summary.json').recoveryValidated).toBe(true);
  });
});
