import { SEVERITIES, isSeverity, type Severity } from '../severity';

/**
 * What a word meant as a severity is: a valid one, something that looks like a severity but
 * is not (`P5`, `sev1`, `p!`), with the nearest valid one to suggest, or not a severity at all
 * (then it is the start of a title). Pure, so `/incident open` and `severity` agree.
 */
export type SeverityWord = { kind: 'severity'; severity: Severity } | { kind: 'invalid'; suggestion: Severity | null } | { kind: 'none' };

export function readSeverityWord(word: string): SeverityWord {
  const upper = word.trim().toUpperCase();
  if (isSeverity(upper)) return { kind: 'severity', severity: upper };
  // P5, P12, SEV1, SEV-2, S1: a number after a severity-like prefix.
  const numbered = /^(?:P|SEV|S)[-_ ]?(\d{1,3})$/.exec(upper);
  if (numbered) {
    const level = Number(numbered[1]);
    return { kind: 'invalid', suggestion: SEVERITIES[Math.min(level, SEVERITIES.length - 1)]! };
  }
  // A shifted digit (P!, P@, P#) or a letter O for a zero: one slip of the keyboard.
  const slipped = /^P([)!@#O])$/.exec(upper);
  if (slipped)
    return {
      kind: 'invalid',
      suggestion: ({ ')': 'P0', O: 'P0', '!': 'P1', '@': 'P2', '#': 'P3' } as const)[slipped[1] as ')' | 'O' | '!' | '@' | '#'],
    };
  return { kind: 'none' };
}
