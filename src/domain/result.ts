import type { Phrase } from './phrase';

/** Expected refusals are values, not exceptions (bugs still throw). The reason may name people (refs). */
export type Refusal = { ok: false; code: string; reason: Phrase };
export type Result<T> = ({ ok: true } & T) | Refusal;

export function refuse(code: string, reason: Phrase): Refusal {
  return { ok: false, code, reason };
}
