import { refuse, type Result } from '../result';

/** `{incident_id}`-style names; anything else in braces (JSON, `${VAR}`) stays literal. */
const PLACEHOLDER = /\{([a-z_][a-z0-9_]*)\}/g;

export type PlaceholderContext = Record<string, string>;

/** Placeholder names used in a template, in order of appearance (config validation, docs). */
export function findPlaceholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/**
 * Replaces every `{name}` in one string, in a single pass: a value that itself contains
 * `{other}` is inserted literally, never expanded again. An unknown name is a refusal
 * naming it and `where` it was found, so nothing half-expanded ever runs.
 * `encode` lets URL templates percent-encode values so they cannot change the URL's shape.
 */
export function expandPlaceholders(
  template: string,
  context: PlaceholderContext,
  where = 'value',
  encode: (value: string) => string = (v) => v,
): Result<{ value: string }> {
  const unknown = findPlaceholders(template).filter((name) => !Object.hasOwn(context, name));
  if (unknown.length) {
    return refuse('unknown_placeholder', `unknown placeholder {${unknown[0]}} in ${where}`);
  }
  return { ok: true, value: template.replace(PLACEHOLDER, (_, name: string) => encode(context[name]!)) };
}

/**
 * Expands inside each argv element. Each element stays exactly one element whatever the
 * value holds (spaces, quotes, `$(...)`, `;`): argv goes to execve, never to a shell.
 */
export function expandArgv(argv: readonly string[], context: PlaceholderContext): Result<{ value: string[] }> {
  const out: string[] = [];
  for (const [i, element] of argv.entries()) {
    const expanded = expandPlaceholders(element, context, `argv[${i}]`);
    if (!expanded.ok) return expanded;
    out.push(expanded.value);
  }
  return { ok: true, value: out };
}

/** Expands the values of a flat string map (workflow inputs). Keys are never expanded. */
export function expandRecord(
  record: Readonly<Record<string, string>>,
  context: PlaceholderContext,
  where = 'inputs',
): Result<{ value: Record<string, string> }> {
  const out: Record<string, string> = {};
  for (const [key, template] of Object.entries(record)) {
    const expanded = expandPlaceholders(template, context, `${where}.${key}`);
    if (!expanded.ok) return expanded;
    out[key] = expanded.value;
  }
  return { ok: true, value: out };
}

/** Expands every string inside a JSON value (HTTP bodies), keeping numbers, booleans and shape. */
export function expandJson(value: unknown, context: PlaceholderContext, where = 'body'): Result<{ value: unknown }> {
  if (typeof value === 'string') return expandPlaceholders(value, context, where);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const [i, item] of value.entries()) {
      const expanded = expandJson(item, context, `${where}[${i}]`);
      if (!expanded.ok) return expanded;
      out.push(expanded.value);
    }
    return { ok: true, value: out };
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const expanded = expandJson(item, context, `${where}.${key}`);
      if (!expanded.ok) return expanded;
      out[key] = expanded.value;
    }
    return { ok: true, value: out };
  }
  return { ok: true, value };
}
