/** Expected refusals are values, not exceptions (bugs still throw). */
export type Refusal = { ok: false; code: string; reason: string };
export type Result<T> = ({ ok: true } & T) | Refusal;

export function refuse(code: string, reason: string): Refusal {
  return { ok: false, code, reason };
}
