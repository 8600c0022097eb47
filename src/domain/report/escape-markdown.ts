/**
 * User text goes into Markdown that GitHub renders. These escapes stop it from breaking
 * the report's structure (stray headings, fences that swallow the rest, table cells split
 * by pipes) or injecting HTML — including a fake `<!-- incident-bot:... -->` marker.
 */

/**
 * GitHub notifies `@login` and `@org/team` in issues and comments. Recorded text comes from
 * alerts, webhooks and runner output as well as people, and Slack names are not GitHub logins:
 * a zero-width joiner after the `@` keeps the text readable and notifies nobody. An `@` inside
 * a word (an e-mail address) is not a mention and stays as it is.
 */
export function defuseMentions(text: string): string {
  return text.replace(/(^|[^\w`])@(?=[A-Za-z0-9])/g, '$1@\u200D');
}

/** One line of text for a list item or table cell. */
export function escapeInline(text: string): string {
  let out = text.replace(/\s+/g, ' ').trim();
  out = defuseMentions(escapeHtml(out)).replaceAll('|', '\\|');
  // A leading block marker would turn a list item into a heading, quote or nested list.
  if (/^([#>+*=-]|\d+[.)](\s|$))/.test(out)) out = `\\${out}`;
  return out;
}

/** Several lines of text for a section body. Keeps line breaks; defuses block syntax. */
export function escapeBlock(text: string): string {
  const lines = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => escapeBlockLine(line.replace(/\s+$/, '')));
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function escapeBlockLine(line: string): string {
  const html = defuseMentions(escapeHtml(line));
  const indent = /^ {0,3}/.exec(html)![0];
  const rest = html.slice(indent.length);
  const breaksStructure =
    /^#/.test(rest) || // ATX heading
    /^(```|~~~)/.test(rest) || // code fence: unclosed, it swallows the rest of the report
    /^(=+|-+)\s*$/.test(rest) || // setext underline turns the previous line into a heading
    /^([-*_])(\s*\1){2,}\s*$/.test(rest) || // thematic break
    /^\|/.test(rest); // table row
  return breaksStructure ? `${indent}\\${rest}` : html;
}

/** Only `<` that could open a tag, comment or autolink; "error_rate < 1%" stays readable. */
function escapeHtml(text: string): string {
  return text.replace(/<(?=[A-Za-z/!?])/g, '&lt;');
}

/** A fenced code block that no backtick run inside the content can close early. */
export function fencedBlock(content: string, info = 'text'): string {
  const longestRun = Math.max(2, ...Array.from(content.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longestRun + 1);
  return `${fence}${info}\n${content.replace(/\s+$/, '')}\n${fence}`;
}
