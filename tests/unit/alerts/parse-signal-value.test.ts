import { describe, expect, it } from 'vitest';
import { parseSignalValue } from '../../../src/adapters/inbound/alerts/parse-signal-value';
import type { SignalName } from '../../../src/domain/classifier/signals';

describe('parseSignalValue', () => {
  it.each<[SignalName, string, boolean, number | boolean]>([
    ['error_rate', '18', false, 18],
    ['error_rate', '18%', false, 18],
    ['error_rate', ' 18.5 % ', false, 18.5],
    ['error_rate', '0.18', false, 0.18],
    ['error_rate', '0.18', true, 18],
    ['failure_rate', '1', true, 100],
    ['failure_rate', '100', false, 100],
    ['p95_ms', '1200', false, 1200],
    ['p95_ms', '1200ms', false, 1200],
    ['p95_ms', '1.2s', false, 1200],
    ['p95_ms', '0', false, 0],
    ['p95_target_ms', '5e2', false, 500],
    ['data_loss', 'true', false, true],
    ['data_loss', 'Yes', false, true],
    ['data_loss', '0', false, false],
    ['unresponsive', 'FALSE', false, false],
  ])('%s %j (ratio %s) → %s', (name, text, asRatio, value) => {
    expect(parseSignalValue(name, text, asRatio)).toEqual({ value });
  });

  it.each<[SignalName, string, boolean]>([
    ['error_rate', '', false],
    ['error_rate', 'high', false],
    ['error_rate', '-1', false],
    ['error_rate', '100.5', false],
    ['error_rate', '1.5', true],
    ['error_rate', '18%', true],
    ['p95_ms', '12 minutes', false],
    ['p95_ms', 'Infinity', false],
    ['p95_ms', '1e400', false],
    ['p95_target_ms', '0', false],
    ['data_loss', 'maybe', false],
  ])('%s %j (ratio %s) is an error', (name, text, asRatio) => {
    expect(parseSignalValue(name, text, asRatio)).toHaveProperty('error');
  });
});
