import { describe, expect, it } from 'vitest';
import { checkTransition, STATUSES, type IncidentStatus } from '../../../src/domain/lifecycle';

// The full transition table: every (from, to) pair, allowed or refused with a reason.
const ALLOWED: [IncidentStatus, IncidentStatus][] = [
  ['investigating', 'identified'],
  ['investigating', 'monitoring'],
  ['investigating', 'resolved'],
  ['identified', 'investigating'],
  ['identified', 'monitoring'],
  ['identified', 'resolved'],
  ['monitoring', 'investigating'],
  ['monitoring', 'identified'],
  ['monitoring', 'resolved'],
  ['resolved', 'closed'],
  ['resolved', 'investigating'],
];

describe('lifecycle transition table', () => {
  for (const from of STATUSES) {
    for (const to of STATUSES) {
      const allowed = ALLOWED.some(([f, t]) => f === from && t === to);
      it(`${from} → ${to} is ${allowed ? 'allowed' : 'refused'}`, () => {
        const result = checkTransition(from, to);
        expect(result.ok).toBe(allowed);
        if (!result.ok) expect(result.reason.length).toBeGreaterThan(10);
      });
    }
  }

  it('says why closing an open incident is refused', () => {
    const result = checkTransition('investigating', 'closed');
    expect(result).toMatchObject({ ok: false, code: 'transition.close_unresolved' });
    expect(!result.ok && result.reason).toMatch(/resolve it first/);
  });

  it('says closed is final', () => {
    expect(checkTransition('closed', 'investigating')).toMatchObject({ ok: false, code: 'transition.closed' });
  });
});
