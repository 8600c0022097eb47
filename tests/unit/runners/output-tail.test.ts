import { describe, expect, it } from 'vitest';
import { OutputTail } from '../../../src/adapters/outbound/runners/output-tail';
import { redactSecrets } from '../../../src/adapters/outbound/runners/redact-secrets';

describe('OutputTail', () => {
  it('keeps everything under the cap', () => {
    const tail = new OutputTail(100);
    tail.push(Buffer.from('hello\n'));
    tail.push(Buffer.from('world\n'));
    expect(tail.excerpt()).toBe('hello\nworld\n');
  });

  it('keeps the last cap bytes of a large output in bounded memory', () => {
    const tail = new OutputTail(1000);
    for (let i = 0; i < 10_000; i++) tail.push(Buffer.from(`line ${String(i).padStart(5, '0')}\n`));
    const excerpt = tail.excerpt();
    const [note, ...rest] = excerpt.split('\n');
    expect(Buffer.byteLength(rest.join('\n'))).toBe(1000);
    expect(note).toBe(`[… ${11 * 10_000 - 1000} earlier bytes truncated]`);
    expect(excerpt.endsWith('line 09999\n')).toBe(true);
    expect(tail.totalBytes).toBe(110_000);
  });

  it('never starts the excerpt with a broken UTF-8 character', () => {
    const tail = new OutputTail(10);
    tail.push(Buffer.from('ééééééééééééé'));
    expect(tail.excerpt()).not.toContain('\uFFFD');
  });

  it('redacts secrets, including one cut by the window edge', () => {
    const secret = 'tok_ABCDEFGH123';
    const tail = new OutputTail(50, [secret]);
    tail.push(Buffer.from(`${'x'.repeat(100)}${secret}`));
    tail.push(Buffer.from('y'.repeat(50 + secret.length - 6)));
    const excerpt = tail.excerpt();
    for (let n = 4; n <= secret.length; n++) expect(excerpt).not.toContain(secret.slice(-n));
    expect(excerpt.endsWith('y'.repeat(44))).toBe(true);
  });
});

describe('redactSecrets', () => {
  it('replaces every occurrence, longest secret first, ignoring too-short values', () => {
    expect(redactSecrets('a=abcd1234 b=abcd c=1', ['abcd', 'abcd1234', '1'])).toBe('a=[redacted] b=[redacted] c=1');
  });
});
