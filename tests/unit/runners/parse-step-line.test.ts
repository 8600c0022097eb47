import { describe, expect, it } from 'vitest';
import { parseStepLine } from '../../../src/domain/rollback/parse-step-line';

describe('parseStepLine', () => {
  it.each([
    ['::step 2/7 Restore git hooks', { index: 2, total: 7, label: 'Restore git hooks' }],
    ['::step 1/1', { index: 1, total: 1, label: '' }],
    ['  ::step 3 / 5   Archive infrastructure  ', { index: 3, total: 5, label: 'Archive infrastructure' }],
    ['::step 7/7 Verify', { index: 7, total: 7, label: 'Verify' }],
  ])('%j', (line, expected) => {
    expect(parseStepLine(line)).toEqual(expected);
  });

  it.each(['[2/7] Restore git hooks', '::step 0/7 x', '::step 8/7 x', '::step two/7', 'echo ::step 1/2 x', '::stepped 1/2', '::step 1/'])(
    'ignores %j',
    (line) => {
      expect(parseStepLine(line)).toBeNull();
    },
  );

  it('caps very long labels', () => {
    expect(parseStepLine(`::step 1/2 ${'x'.repeat(1000)}`)!.label).toHaveLength(200);
  });
});
