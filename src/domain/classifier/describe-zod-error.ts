import type { z } from 'zod';

/**
 * Turns zod issues into one line that names each bad field by its path, e.g.
 * `alerts[0].status: expected "firing" or "resolved"`. Callers put this in a refusal's
 * reason, so whoever sent the payload or wrote the rules file knows exactly what to fix.
 */
export function describeZodError(error: z.ZodError, options: { prefix?: readonly PropertyKey[]; max?: number } = {}): string {
  const max = options.max ?? 3;
  const prefix = options.prefix ?? [];
  const lines = error.issues.slice(0, max).map((issue) => `${formatPath([...prefix, ...issue.path])}: ${describeIssue(issue)}`);
  const more = error.issues.length - max;
  return more > 0 ? `${lines.join('; ')} (and ${more} more)` : lines.join('; ');
}

/** `['alerts', 0, 'labels', 'a-b']` → `alerts[0].labels["a-b"]`; the empty path is the root. */
export function formatPath(path: readonly PropertyKey[], root = '(root)'): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out || root;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  // A schema's own message (given with `error:` or in a refinement) is already written for people.
  if (!/^(Invalid|Unrecognized|Too (small|big))/.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_value':
      return issue.values.length <= 2
        ? `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`
        : `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    case 'invalid_type':
      // zod says "received undefined" for a missing key; "required" is what a person looks for.
      if (/received undefined$/.test(issue.message)) return `required (expected ${issue.expected})`;
      return issue.message.replace(/^Invalid input: /, '');
    default:
      return issue.message.replace(/^(Invalid (input|option)|Too (small|big)): /, '');
  }
}
