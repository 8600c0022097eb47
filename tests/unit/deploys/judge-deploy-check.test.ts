import { describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITY_RULES } from '../../../src/domain/classifier/default-rules';
import { describeDeployBreach, judgeDeployCheck } from '../../../src/domain/deploys/judge-deploy-check';
import type { SignalSnapshot } from '../../../src/domain/signals/signal-reading';

const snap = (values: Record<string, number | null>, unavailable: string | null = null): SignalSnapshot => ({
  source: 'Prometheus',
  at: 0,
  values,
  unavailable,
});

describe('judgeDeployCheck (rules and baseline)', () => {
  it.each([
    { name: 'healthy now', baseline: snap({ error_rate: 0 }), now: snap({ error_rate: 2 }), verdict: 'healthy' },
    { name: 'a P2 rule is not critical', baseline: snap({ error_rate: 0 }), now: snap({ error_rate: 12 }), verdict: 'healthy' },
    {
      name: 'nothing read proves nothing',
      baseline: snap({ error_rate: 0 }),
      now: snap({}, 'cannot reach Prometheus'),
      verdict: 'healthy',
    },
    { name: 'no data proves nothing', baseline: snap({ error_rate: 0 }), now: snap({ error_rate: null }), verdict: 'healthy' },
    {
      name: 'P1 after a healthy baseline is a breach',
      baseline: snap({ error_rate: 0.5 }),
      now: snap({ error_rate: 22 }),
      verdict: 'breach',
    },
    { name: 'P1 with no baseline read is a breach', baseline: null, now: snap({ error_rate: 22 }), verdict: 'breach' },
    {
      name: 'P1 that was P1 before the deploy is not blamed on it',
      baseline: snap({ error_rate: 18 }),
      now: snap({ error_rate: 22 }),
      verdict: 'already_breaching',
    },
    {
      name: 'P0 after a P1 baseline is worse: a breach',
      baseline: snap({ error_rate: 18 }),
      now: snap({ failure_rate: 60 }),
      verdict: 'breach',
    },
  ])('$name', ({ baseline, now, verdict }) => {
    expect(judgeDeployCheck({ service: 'checkout', baseline }, now, DEFAULT_SEVERITY_RULES).kind).toBe(verdict);
  });

  it('says why, in the words of the announcement', () => {
    const verdict = judgeDeployCheck(
      { service: 'checkout', baseline: snap({ error_rate: 0 }) },
      snap({ error_rate: 22 }),
      DEFAULT_SEVERITY_RULES,
    );
    if (verdict.kind !== 'breach') throw new Error(verdict.kind);
    expect(verdict.decision).toMatchObject({ severity: 'P1', rule: 'urgent-error-rate' });
    expect(describeDeployBreach({ service: 'checkout', release: 'v42', previousRelease: 'v41' }, verdict.because)).toBe(
      'Opened by deploy watch: checkout release v42 (previous v41) — error_rate 22% > 15%',
    );
  });
});
