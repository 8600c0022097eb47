import { describe, expect, it } from 'vitest';
import { canClose, canResolve, evaluateGates, GATE_INSTRUCTIONS, type GateFacts } from '../../../src/domain/report/gates';

const ALL_MET: GateFacts = {
  severityConfirmed: true,
  rollbackReadinessPassed: true,
  decisionRecorded: true,
  recoveryValidated: true,
  recoveryOverride: null,
  resolutionSummary: 'Rolled back to v6.1.',
  reportWritten: true,
};

describe('evaluateGates', () => {
  it('all four pass when every fact is there', () => {
    expect(evaluateGates(ALL_MET)).toEqual([
      { gate: 1, name: 'Severity alignment', passed: true, missing: [] },
      { gate: 2, name: 'Mitigation readiness', passed: true, missing: [] },
      { gate: 3, name: 'Recovery validation', passed: true, missing: [] },
      { gate: 4, name: 'Resolution & documentation', passed: true, missing: [] },
    ]);
  });

  const cases: { name: string; facts: Partial<GateFacts>; gate: number; missing: string[] }[] = [
    { name: 'severity unconfirmed', facts: { severityConfirmed: false }, gate: 1, missing: [GATE_INSTRUCTIONS.severity] },
    { name: 'readiness check not passed', facts: { rollbackReadinessPassed: false }, gate: 2, missing: [GATE_INSTRUCTIONS.readiness] },
    { name: 'no decision recorded', facts: { decisionRecorded: false }, gate: 2, missing: [GATE_INSTRUCTIONS.decision] },
    {
      name: 'neither readiness nor decision',
      facts: { rollbackReadinessPassed: false, decisionRecorded: false },
      gate: 2,
      missing: [GATE_INSTRUCTIONS.readiness, GATE_INSTRUCTIONS.decision],
    },
    { name: 'recovery not validated, no override', facts: { recoveryValidated: false }, gate: 3, missing: [GATE_INSTRUCTIONS.recovery] },
    {
      name: 'override without a reason',
      facts: { recoveryValidated: false, recoveryOverride: { by: 'U0CAROL', reason: '  ' } },
      gate: 3,
      missing: [GATE_INSTRUCTIONS.overrideReason],
    },
    { name: 'no summary', facts: { resolutionSummary: null }, gate: 4, missing: [GATE_INSTRUCTIONS.summary] },
    { name: 'blank summary', facts: { resolutionSummary: ' \n ' }, gate: 4, missing: [GATE_INSTRUCTIONS.summary] },
    { name: 'no report', facts: { reportWritten: false }, gate: 4, missing: [GATE_INSTRUCTIONS.report] },
    {
      name: 'no summary, no report',
      facts: { resolutionSummary: null, reportWritten: false },
      gate: 4,
      missing: [GATE_INSTRUCTIONS.summary, GATE_INSTRUCTIONS.report],
    },
  ];

  it.each(cases)('$name → gate $gate names what is missing', ({ facts, gate, missing }) => {
    const gates = evaluateGates({ ...ALL_MET, ...facts });
    for (const status of gates) {
      if (status.gate === gate) expect(status).toMatchObject({ passed: false, missing });
      else expect(status.passed, `gate ${status.gate}`).toBe(true);
    }
  });

  it('every instruction tells how to supply it (a command or a button)', () => {
    for (const text of Object.values(GATE_INSTRUCTIONS)) expect(text).toMatch(/\/incident|button|clicks|run after/);
  });
});

describe('canResolve (gate 3)', () => {
  it('allows a validated recovery', () => {
    expect(canResolve({ ...ALL_MET, resolutionSummary: null, reportWritten: false })).toEqual({ ok: true, gate: 3 });
  });

  it('allows an explicit override with a reason, also when no rollback ran', () => {
    const facts = {
      ...ALL_MET,
      rollbackReadinessPassed: false,
      decisionRecorded: false,
      recoveryValidated: false,
      recoveryOverride: { by: 'U0CAROL', reason: 'Fixed upstream by the provider; dashboards green for 30 min' },
    };
    expect(canResolve(facts).ok).toBe(true);
  });

  it('refuses otherwise, naming the gate and how to satisfy it', () => {
    const result = canResolve({ ...ALL_MET, recoveryValidated: false });
    expect(result).toEqual({
      ok: false,
      code: 'gate.recovery_not_validated',
      reason: `Gate 3 (Recovery validation) blocks resolving. Still needed:\n• ${GATE_INSTRUCTIONS.recovery}`,
    });
  });
});

describe('canClose (gate 4)', () => {
  it('allows closing with a summary and a report', () => {
    expect(canClose(ALL_MET)).toEqual({ ok: true, gate: 4 });
  });

  it('lists every missing document', () => {
    const result = canClose({ ...ALL_MET, resolutionSummary: '', reportWritten: false });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe('gate.documentation_missing');
    expect(result.reason).toContain(GATE_INSTRUCTIONS.summary);
    expect(result.reason).toContain(GATE_INSTRUCTIONS.report);
  });
});
