import { redactText } from './redact-text';

/**
 * Every string inside a JSON-shaped value redacted (`redactText`), the shape kept: for whole
 * records that are stored or sent (an incident, a timeline entry, a Slack call's arguments).
 * Keys are left alone; values that are not strings pass through.
 */
export function redactDeep<T>(value: T, secrets: readonly string[] = []): T {
  return walk(value, secrets) as T;
}

function walk(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (Array.isArray(value)) return value.map((v) => walk(v, secrets));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = walk(v, secrets);
    return out;
  }
  return value;
}
