import type { Result } from '../result';
import { refuse } from '../result';
import type { ActionItem } from '../report/report-input';
import { user, type Ref } from '../phrase';

const USAGE = '`"<what to do>" @owner [YYYY-MM-DD]`';

/**
 * `@U123` for a person the front end identified (`mentioned`: the ids it resolved from real
 * mentions), a long `@U…` id typed by hand, or `@name` typed into a form.
 */
function parseOwner(token: string, mentioned: ReadonlySet<string>): string | null {
  if (token.startsWith('@') && mentioned.has(token.slice(1))) return token.slice(1);
  if (/^@[UW][A-Z0-9]{6,}$/.test(token)) return token.slice(1);
  const typed = /^@([\w.-]{1,80})$/.exec(token);
  // Names typed into a form stay names (with their @); only Slack can turn them into ids.
  return typed ? `@${typed[1]!}` : null;
}

/** A real calendar day in YYYY-MM-DD (2026-02-30 is refused). */
export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

/**
 * One action item, `what to do @owner [YYYY-MM-DD]`: the owner mention and the optional
 * due date come last; the text may be quoted ("…" or “…”). Refusals say what to type.
 */
export function parseActionItem(line: string, mentioned: ReadonlySet<string> = new Set()): Result<{ item: ActionItem }> {
  const tokens = line.trim().split(/\s+/).filter(Boolean);
  if (!tokens.length) return refuse('action.empty', `An action item needs text and an owner: ${USAGE}.`);
  let due: string | undefined;
  const last = tokens[tokens.length - 1]!;
  if (/^\d{4}-\d{1,2}-\d{1,2}$/.test(last) || /^\d{4}-\d{2}-\d{2}$/.test(last)) {
    if (!isCalendarDate(last)) return refuse('action.bad_due', `"${last}" is not a date; write the due date as YYYY-MM-DD: ${USAGE}.`);
    due = last;
    tokens.pop();
  }
  const ownerToken = tokens[tokens.length - 1] ?? '';
  const owner = parseOwner(ownerToken, mentioned);
  if (!owner)
    return refuse(
      'action.no_owner',
      `Name an owner with @ after the text${tokens.length ? ` (got "${ownerToken.slice(0, 40)}")` : ''}: ${USAGE}.`,
    );
  tokens.pop();
  const text = tokens
    .join(' ')
    .replace(/^["“”']+|["“”']+$/g, '')
    .trim();
  if (!text) return refuse('action.no_text', `Say what needs doing before the owner: ${USAGE}.`);
  if (text.length > 200)
    return refuse(
      'action.too_long',
      `Keep an action item under 200 characters (it becomes a GitHub issue title); put details in the issue.`,
    );
  return { ok: true, item: { text, owner, ...(due ? { due } : {}) } };
}

/** The report form's action items, one per line; every bad line is named by its number. */
export function parseActionItemLines(text: string): { items: ActionItem[]; errors: string[] } {
  const items: ActionItem[] = [];
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (!line.trim()) return;
    const parsed = parseActionItem(line.replace(/^\s*(?:[-*•]|\[[ x]\])\s+/, ''));
    if (parsed.ok) items.push(parsed.item);
    else errors.push(`Line ${index + 1}: ${parsed.reason}`);
  });
  return { items, errors };
}

/** An owner as a reference for user ids (a mention in Slack, a name elsewhere); a typed name stays words. */
export function ownerRef(owner: string): Ref | string {
  return /^[UW][A-Z0-9]{2,}$/.test(owner) ? user(owner) : owner;
}
