import { redactText, stripControl } from '../../../domain/redaction/redact-text';

export { MIN_SECRET_LENGTH } from '../../../domain/redaction/redact-text';

/** Runner output as it may be stored and shown: control bytes stripped, secrets redacted by value and by shape. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  return redactText(stripControl(text), secrets);
}
