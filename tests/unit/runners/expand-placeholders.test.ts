import { describe, expect, it } from 'vitest';
import {
  expandArgv,
  expandJson,
  expandPlaceholders,
  expandRecord,
  findPlaceholders,
} from '../../../src/domain/rollback/expand-placeholders';

const ctx = { incident_id: 'INC-20261121-001', service: 'web', previous_release: 'v1.4.2', evil: '{service} $(id) `id` ; "\'' };

describe('expandPlaceholders', () => {
  it.each([
    ['{incident_id}', 'INC-20261121-001'],
    ['--release={previous_release}', '--release=v1.4.2'],
    ['{service}-{service}', 'web-web'],
    ['no placeholders', 'no placeholders'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell-style ${HOME} must pass through unexpanded
    ['{"json": 1} ${HOME} {Upper} { spaced }', '{"json": 1} ${HOME} {Upper} { spaced }'],
    // A value containing `{service}` is inserted literally, never expanded a second time.
    ['x={evil}', 'x={service} $(id) `id` ; "\''],
  ])('%s → %s', (template, expected) => {
    expect(expandPlaceholders(template, ctx)).toEqual({ ok: true, value: expected });
  });

  it('refuses an unknown placeholder, naming it and where it was', () => {
    expect(expandPlaceholders('{incident_id} {relese}', ctx, 'argv[1]')).toEqual({
      ok: false,
      code: 'unknown_placeholder',
      reason: 'unknown placeholder {relese} in argv[1]',
    });
  });

  it('does not treat inherited object keys as placeholders', () => {
    expect(expandPlaceholders('{constructor}', {}).ok).toBe(false);
    expect(expandPlaceholders('{__proto__}', {}).ok).toBe(false);
  });

  it('lists placeholder names', () => {
    expect(findPlaceholders('{a} and {b_2} but not {B} or {}')).toEqual(['a', 'b_2']);
  });
});

describe('expandArgv', () => {
  it('keeps each element exactly one element whatever the value holds', () => {
    const hostile = { a: 'one two', b: '$(touch pwned)\n; rm -rf /', c: '' };
    const result = expandArgv(['deploy', '{a}', '--b={b}', '{c}'], hostile);
    expect(result).toEqual({ ok: true, value: ['deploy', 'one two', '--b=$(touch pwned)\n; rm -rf /', ''] });
  });

  it('names the argv index of an unknown placeholder', () => {
    expect(expandArgv(['x', 'ok', '{missing}'], {})).toMatchObject({ ok: false, reason: 'unknown placeholder {missing} in argv[2]' });
  });
});

describe('expandRecord / expandJson', () => {
  it('expands workflow input values, not keys', () => {
    expect(expandRecord({ '{service}': '{service}' }, ctx)).toEqual({ ok: true, value: { '{service}': 'web' } });
    expect(expandRecord({ who: '{requested_by}' }, ctx)).toMatchObject({
      ok: false,
      reason: 'unknown placeholder {requested_by} in inputs.who',
    });
  });

  it('expands strings deep inside a JSON body and keeps other values', () => {
    const body = { id: '{incident_id}', n: 3, on: true, none: null, list: ['{service}', 7], nested: { r: 'to {previous_release}' } };
    expect(expandJson(body, ctx)).toEqual({
      ok: true,
      value: { id: 'INC-20261121-001', n: 3, on: true, none: null, list: ['web', 7], nested: { r: 'to v1.4.2' } },
    });
    expect(expandJson({ a: [{ b: '{nope}' }] }, ctx)).toMatchObject({ ok: false, reason: 'unknown placeholder {nope} in body.a[0].b' });
  });
});
