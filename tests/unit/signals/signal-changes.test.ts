import { describe, expect, it } from 'vitest';
import { classify } from '../../../src/domain/classifier/classify';
import { DEFAULT_SEVERITY_RULES } from '../../../src/domain/classifier/default-rules';
import { createIncident, type Incident } from '../../../src/domain/incident';
import type { Severity } from '../../../src/domain/severity';
import {
  acceptRaise,
  recordOpenSignals,
  recordReevaluation,
  recordSignalRecovery,
  withdrawSignalRecovery,
  type LiveDecision,
} from '../../../src/domain/signals/signal-changes';

const AT = Date.UTC(2026, 10, 21, 14, 2, 7);

function incident(severity: Severity, extra: Partial<Incident> = {}): Incident {
  return {
    ...createIncident('INC-1', { title: 't', severity, openedBy: 'alert:alertmanager', service: 'checkout' }, AT).incident,
    ...extra,
  };
}

function live(values: Record<string, number | null>, unavailable: string | null = null): LiveDecision {
  const signals = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null)) as Record<string, number>;
  return {
    snapshot: { source: 'Prometheus', at: AT, values, unavailable },
    decision: classify(signals, {}, 'checkout', DEFAULT_SEVERITY_RULES),
    fromLive: Object.keys(signals),
  };
}

describe('classification at open from live values', () => {
  it.each([
    [
      'raises, with the measured value, rule, source and time',
      'P2',
      { error_rate: 18.2 },
      'P1',
      'P1 because error_rate 18.2% > 15% (rule urgent-error-rate, Prometheus 14:02 UTC)',
    ],
    [
      'same severity: the better-founded reason',
      'P1',
      { error_rate: 18.2 },
      'P1',
      'P1 because error_rate 18.2% > 15% (rule urgent-error-rate, Prometheus 14:02 UTC)',
    ],
    ['lower: kept, only noted', 'P0', { error_rate: 18.2 }, 'P0', null],
    ['no data changes nothing', 'P2', { error_rate: null }, 'P2', null],
  ] as const)('%s', (_name, before, values, after, reason) => {
    const start = incident(before);
    const change = recordOpenSignals(start, live(values), AT + 1);
    expect(change.ok).toBe(true);
    if (!change.ok) return;
    expect(change.incident.severity).toBe(after);
    expect(change.incident.severityReason).toBe(reason ?? start.severityReason);
    expect(change.incident.signals?.atOpen?.values).toEqual(values);
    if (before === 'P0') expect(change.events.at(-1)!.text).toMatch(/^Live signals suggest P1 .* P0 kept/);
  });

  it("a fault is recorded with its reason and the alert's severity stays", () => {
    const change = recordOpenSignals(incident('P2'), live({}, 'cannot reach Prometheus'), AT);
    expect(change.ok && change.incident.severity).toBe('P2');
    expect(change.ok && change.events[0]!.text).toContain('signals unavailable: cannot reach Prometheus');
  });

  it('is recorded once: a second read (retry, other replica) changes nothing', () => {
    const first = recordOpenSignals(incident('P2'), live({ error_rate: 18 }), AT);
    if (!first.ok) throw new Error('first');
    expect(recordOpenSignals(first.incident, live({ error_rate: 40 }), AT)).toMatchObject({ ok: false, code: 'signals.already_recorded' });
  });

  it('a resolved incident is not reclassified', () => {
    expect(recordOpenSignals(incident('P2', { status: 'resolved' }), live({ error_rate: 18 }), AT)).toMatchObject({
      ok: false,
      code: 'signals.not_open',
    });
  });
});

describe('re-evaluation while open', () => {
  const opened = () => {
    const c = recordOpenSignals(incident('P3'), live({ error_rate: 1 }), AT);
    if (!c.ok) throw new Error('open');
    return c.incident;
  };

  it.each([
    ['a higher rule: proposed, never applied', { error_rate: 18 }, true, 'P1'],
    ['nothing higher: only the trend moves', { error_rate: 2 }, false, null],
    ['lower than now never proposes anything', { error_rate: 0 }, false, null],
  ] as const)('%s', (_name, values, proposed, severity) => {
    const change = recordReevaluation(opened(), live(values), AT + 60_000);
    if (!change.ok) throw new Error('reeval');
    expect(change.proposed).toBe(proposed);
    expect(change.incident.severity).toBe('P3');
    expect(change.incident.signals?.raiseProposal?.severity ?? null).toBe(severity);
    expect(change.incident.signals?.latest?.values).toEqual(values);
  });

  it('proposes once per severity; a yet higher rule proposes again', () => {
    const first = recordReevaluation(opened(), live({ error_rate: 18 }), AT);
    if (!first.ok) throw new Error('1');
    const same = recordReevaluation(first.incident, live({ error_rate: 20 }), AT);
    expect(same.ok && same.proposed).toBe(false);
    const higher = recordReevaluation(first.incident, live({ failure_rate: 60 }), AT);
    expect(higher.ok && higher.incident.signals?.raiseProposal?.severity).toBe('P0');
  });

  it('a person accepts: raised and confirmed; again is refused', () => {
    const proposed = recordReevaluation(opened(), live({ error_rate: 18 }), AT);
    if (!proposed.ok) throw new Error('p');
    const raised = acceptRaise(proposed.incident, 'U1', AT);
    if (!raised.ok) throw new Error('r');
    expect(raised.incident).toMatchObject({ severity: 'P1', severityConfirmed: { by: 'U1' } });
    expect(acceptRaise(raised.incident, 'U2', AT)).toMatchObject({ ok: false, code: 'signals.no_proposal' });
    expect(acceptRaise(opened(), 'U2', AT)).toMatchObject({ ok: false, code: 'signals.no_proposal' });
  });
});

describe('gate 3 evidence', () => {
  const evidence = {
    at: AT,
    holdForMs: 300_000,
    source: 'Prometheus',
    alerts: { groupKey: 'g', resolved: 2, allResolvedAt: AT - 300_000 },
    signals: [{ signal: 'error_rate', max: 0.4, threshold: 10, samples: 30 }],
  };
  it('validates recovery once, with the evidence on the timeline', () => {
    const change = recordSignalRecovery(incident('P1'), evidence);
    if (!change.ok) throw new Error('e');
    expect(change.incident.gates?.recoveryValidatedAt).toBe(AT);
    expect(change.events[0]!.text).toBe(
      'Recovery validated by evidence: all 2 alert(s) resolved since 13:57 UTC; error_rate max 0.4 (under 10) for 300s (Prometheus)',
    );
    expect(recordSignalRecovery(change.incident, evidence)).toMatchObject({ ok: false, code: 'signals.recovery_known' });
  });

  it('alerts firing again withdraw evidence-based recovery, never a passed verification', () => {
    const validated = recordSignalRecovery(incident('P1'), evidence);
    if (!validated.ok) throw new Error('v');
    const withdrawn = withdrawSignalRecovery(validated.incident, AT + 1);
    expect(withdrawn.ok && withdrawn.incident.gates?.recoveryValidatedAt).toBeNull();
    expect(withdrawn.ok && withdrawn.events[0]!.kind).toBe('recovery_withdrawn');
    const byVerification = incident('P1', {
      gates: { readinessPassedAt: null, decisionRecordedAt: null, recoveryValidatedAt: AT, recoveryOverride: null, reportWrittenAt: null },
    });
    expect(withdrawSignalRecovery(byVerification, AT)).toMatchObject({ ok: false, code: 'signals.no_evidence' });
  });
});
