/**
 * Puts a label value (a service name from an alert, which anyone able to send alerts
 * controls) into a PromQL double-quoted string so it cannot end the string and add
 * matchers or operators. Inside a regex matcher (`=~"…"`, `!~"…"`) the value is also
 * regex-quoted, so `checkout|.*` matches only a service literally called that.
 */
export function escapePromqlString(value: string): string {
  return value.replace(/[\\"\n\r\t]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c]!);
}

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\]/g;

/** Replaces every `{service}` in a configured query; the escaping follows the string's matcher. */
export function expandSignalQuery(template: string, service: string): string {
  const literal = escapePromqlString(service);
  const regex = escapePromqlString(service.replace(REGEX_SPECIAL, '\\$&'));
  return template.replace(/\{service\}/g, (_match, offset: number) => (insideRegexMatcher(template.slice(0, offset)) ? regex : literal));
}

/** True when the text before the placeholder opens a string after `=~` or `!~`. */
function insideRegexMatcher(before: string): boolean {
  const open = before.lastIndexOf('"');
  if (open < 0) return false;
  return /[=!]~\s*$/.test(before.slice(0, open));
}
