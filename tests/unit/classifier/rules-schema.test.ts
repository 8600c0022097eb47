import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITY_RULES } from '../../../src/domain/classifier/default-rules';
import { parseSeverityRules } from '../../../src/domain/classifier/rules-schema';

const yamlPath = new URL('../../../config/severity-rules.yml', import.meta.url);

const validRule = {
  id: 'r1',
  severity: 'P1',
  urgency: 'urgent',
  reason: 'x',
  when: { any: [{ signal: 'error_rate', op: '>', value: 15 }] },
};

describe('config/severity-rules.yml', () => {
  it('parses to exactly the built-in default rules', () => {
    const parsed = parseSeverityRules(parse(readFileSync(yamlPath, 'utf8')));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.rules).toEqual(DEFAULT_SEVERITY_RULES);
  });
});

describe('parseSeverityRules', () => {
  it('takes a custom signal (named under signals.queries) as a numeric condition, ratio_of included', () => {
    const parsed = parseSeverityRules({
      rules: [{ ...validRule, when: { any: [{ signal: 'queue_depth', op: '>', value: 1000 }] } }],
    });
    expect(parsed.ok && parsed.rules.rules[0]!.conditions).toEqual([
      { kind: 'signal', signal: 'queue_depth', op: '>', value: 1000, ratioOf: null },
    ]);
  });

  it('fills defaults and converts to the internal shape', () => {
    const parsed = parseSeverityRules({
      services: { checkout: { p95_target_ms: 300 } },
      label_severity_map: { Critical: 'P0' },
      rules: [
        validRule,
        {
          id: 'r2',
          severity: 'P0',
          urgency: 'immediate',
          auto_rollback: true,
          when: {
            all: [
              { label: 'env', op: '==', value: 'prod' },
              { signal: 'p95_ms', op: '>', ratio_of: 'p95_target_ms', value: 3 },
            ],
          },
        },
      ],
    });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.rules.defaults).toEqual({ p95TargetMs: 500 });
    expect(parsed.rules.services).toEqual({ checkout: { p95TargetMs: 300 } });
    expect(parsed.rules.labelSeverityMap).toEqual({ critical: 'P0' });
    expect(parsed.rules.rules[0]).toMatchObject({ id: 'r1', autoRollback: false, match: 'any' });
    expect(parsed.rules.rules[1]).toEqual({
      id: 'r2',
      severity: 'P0',
      urgency: 'immediate',
      autoRollback: true,
      reason: '{observations}',
      match: 'all',
      conditions: [
        { kind: 'label', label: 'env', op: '==', value: 'prod' },
        { kind: 'signal', signal: 'p95_ms', op: '>', value: 3, ratioOf: 'p95_target_ms' },
      ],
    });
  });

  // Each broken file must be refused with the path of the bad key in the reason.
  it.each([
    ['missing rules', {}, 'rules: required'],
    ['bad severity', { rules: [{ ...validRule, severity: 'P5' }] }, 'rules[0].severity: expected one of "P0", "P1", "P2", "P3"'],
    ['bad urgency', { rules: [{ ...validRule, urgency: 'asap' }] }, 'rules[0].urgency:'],
    [
      'a signal name that cannot be one',
      { rules: [{ ...validRule, when: { any: [{ signal: 'Queue-Depth', op: '>', value: 1 }] } }] },
      'rules[0].when.any[0].signal: a signal is a built-in (error_rate, p95_ms',
    ],
    [
      'a custom signal compared with a boolean',
      { rules: [{ ...validRule, when: { any: [{ signal: 'queue_depth', op: '==', value: true }] } }] },
      'rules[0].when.any[0].value: queue_depth is numeric',
    ],
    ['bad op', { rules: [{ ...validRule, when: { any: [{ signal: 'error_rate', op: '=>', value: 1 }] } }] }, 'rules[0].when.any[0].op:'],
    [
      'boolean signal with >',
      { rules: [{ ...validRule, when: { any: [{ signal: 'data_loss', op: '>', value: true }] } }] },
      'rules[0].when.any[0].op: data_loss is a boolean signal',
    ],
    [
      'numeric signal with a string',
      { rules: [{ ...validRule, when: { any: [{ signal: 'error_rate', op: '>', value: '15' }] } }] },
      'rules[0].when.any[0].value: error_rate is numeric',
    ],
    [
      'signal and label',
      { rules: [{ ...validRule, when: { any: [{ signal: 'error_rate', label: 'x', op: '>', value: 1 }] } }] },
      'exactly one of "signal" or "label"',
    ],
    [
      'label with >',
      { rules: [{ ...validRule, when: { any: [{ label: 'env', op: '>', value: 'a' }] } }] },
      'rules[0].when.any[0].op: label conditions support only',
    ],
    [
      'both any and all',
      { rules: [{ ...validRule, when: { any: validRule.when.any, all: validRule.when.any } }] },
      'rules[0].when: use exactly one of "any" or "all"',
    ],
    ['empty any', { rules: [{ ...validRule, when: { any: [] } }] }, 'rules[0].when.any:'],
    ['typo key in rule', { rules: [{ ...validRule, autorollback: true }] }, 'rules[0]: unknown key "autorollback"'],
    ['duplicate id', { rules: [validRule, validRule] }, 'rules[1].id: duplicate rule id "r1"'],
    ['zero target', { defaults: { p95_target_ms: 0 }, rules: [] }, 'defaults.p95_target_ms:'],
    ['bad service target', { services: { checkout: { p95_target_ms: -1 } }, rules: [] }, 'services.checkout.p95_target_ms:'],
    ['bad label map', { label_severity_map: { critical: 'SEV1' }, rules: [] }, 'label_severity_map.critical:'],
    [
      'ratio_of on a label',
      { rules: [{ ...validRule, when: { any: [{ label: 'env', op: '==', value: 'a', ratio_of: 'p95_target_ms' }] } }] },
      'rules[0].when.any[0].ratio_of:',
    ],
  ])('%s', (_name, input, fragment) => {
    const parsed = parseSeverityRules(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.code).toBe('rules.invalid');
      expect(parsed.reason).toContain(fragment);
    }
  });
});
