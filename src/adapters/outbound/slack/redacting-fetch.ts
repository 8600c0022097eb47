import { redactDeep } from '../../../domain/redaction/redact-deep';
import { redactText } from '../../../domain/redaction/redact-text';

type Fetch = typeof globalThis.fetch;

/**
 * The Web API client's transport with every text value redacted before it leaves: one place
 * for every post, update, view and topic, whatever built the text (an alert's summary, labels
 * and annotations, a webhook's title, a status update, runner output). The body is a form
 * (some fields JSON, e.g. `blocks`) or JSON; values are decoded, redacted and encoded again,
 * so a redaction can never cut an escape sequence in half. The Authorization header is left alone.
 */
export function redactingFetch(inner: Fetch, secrets: readonly string[]): Fetch {
  return (input, init) => {
    const body = init?.body;
    if (typeof body !== 'string' || !body) return inner(input, init);
    return inner(input, { ...init, body: redactBody(body, secrets) });
  };
}

export function redactBody(body: string, secrets: readonly string[]): string {
  if (body.trimStart().startsWith('{')) {
    try {
      return JSON.stringify(redactDeep(JSON.parse(body) as unknown, secrets));
    } catch {
      return redactText(body, secrets);
    }
  }
  const form = new URLSearchParams(body);
  const out = new URLSearchParams();
  for (const [name, value] of form) out.append(name, redactField(value, secrets));
  return out.toString();
}

/** A field with nothing to hide (the usual case) goes out exactly as the client wrote it. */
function redactField(value: string, secrets: readonly string[]): string {
  const plain = redactText(value, secrets);
  if (plain === value) return value;
  const first = value.trimStart()[0];
  if (first === '[' || first === '{') {
    try {
      return JSON.stringify(redactDeep(JSON.parse(value) as unknown, secrets));
    } catch {
      // Not JSON after all: plain text that starts with a bracket.
    }
  }
  return plain;
}
