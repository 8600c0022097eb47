import { describe, expect, it } from 'vitest';
import { classifyGroup, type ClassifiableAlert } from '../../../src/domain/classifier/classify-group';
import { DEFAULT_SEVERITY_RULES } from '../../../src/domain/classifier/default-rules';

const alert = (over: Partial<ClassifiableAlert>): ClassifiableAlert => ({
  status: 'firing',
  signals: {},
  labels: {},
  service: null,
  ...over,
});

describe('classifyGroup', () => {
  it('picks the most severe firing alert, first on a tie', () => {
    const result = classifyGroup(
      [alert({ signals: { error_rate: 12 } }), alert({ signals: { error_rate: 20 } }), alert({ signals: { unresponsive: true } })],
      DEFAULT_SEVERITY_RULES,
    );
    expect(result.perAlert.map((d) => d.severity)).toEqual(['P2', 'P1', 'P1']);
    expect(result.group).toMatchObject({ severity: 'P1', rule: 'urgent-error-rate', alertIndex: 1 });
  });

  it('ignores resolved alerts for the group decision', () => {
    const result = classifyGroup(
      [alert({ status: 'resolved', signals: { data_loss: true } }), alert({ signals: { error_rate: 11 } })],
      DEFAULT_SEVERITY_RULES,
    );
    expect(result.perAlert[0]!.severity).toBe('P0');
    expect(result.group).toMatchObject({ severity: 'P2', alertIndex: 1 });
  });

  it('has no group decision when nothing fires', () => {
    expect(classifyGroup([alert({ status: 'resolved' })], DEFAULT_SEVERITY_RULES).group).toBeNull();
  });
});
