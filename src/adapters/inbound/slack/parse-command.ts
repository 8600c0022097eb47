import { normalizeIncidentId } from '../../../domain/incident-id';
import { STATUSES, isStatus, type IncidentStatus } from '../../../domain/lifecycle';
import { parseActionItem } from '../../../domain/paper-trail/parse-action-item';
import type { ActionItem } from '../../../domain/report/report-input';
import { ROLES, ROLE_ALIASES, roleOf, type Role } from '../../../domain/roles';
import { SEVERITIES, type Severity } from '../../../domain/severity';
import { plainText } from '../../../domain/phrase';
import { readSeverityWord } from '../../../domain/words/read-severity-word';
import { suggestWord } from '../../../domain/words/suggest-word';

const SUBCOMMANDS = [
  'help',
  'list',
  'open',
  'update',
  'severity',
  'commander',
  'role',
  'note',
  'resolve',
  'report',
  'action',
  'reopen',
  'close',
  'show',
  'rollback',
  'drill',
  'split',
  'watch',
] as const;

function didYouMean(word: string | null): string {
  return word ? ` Did you mean \`${word}\`?` : '';
}

/**
 * Echoed words are cut short, kept on one line and escaped, so a pasted essay does not fill
 * the reply and `<!channel>` shows as typed instead of as a mention.
 */
function quoted(text: string): string {
  const short = text.replace(/\s+/g, ' ').slice(0, 30);
  return `"${short.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')}"`;
}

export type ParsedCommand =
  | { kind: 'help' }
  | { kind: 'open'; severity: Severity | null; title: string; private: boolean }
  | { kind: 'update'; id: string | null; status: IncidentStatus | null; text: string }
  | { kind: 'severity'; id: string | null; severity: Severity }
  | { kind: 'confirm_severity'; id: string | null }
  | { kind: 'commander'; id: string | null; user: string }
  | { kind: 'role'; id: string | null; role: Role; user: string }
  | { kind: 'note'; id: string | null; text: string }
  | { kind: 'resolve'; id: string | null; summary: string; override?: string }
  | { kind: 'reopen'; id: string | null }
  | { kind: 'close'; id: string | null }
  | { kind: 'list' }
  | { kind: 'show'; id: string | null }
  | { kind: 'rollback'; id: string | null; args: string }
  | { kind: 'report'; id: string | null }
  | { kind: 'action'; id: string | null; item: ActionItem }
  | { kind: 'drill'; action: 'list' | 'start' | 'stop'; scenario: string }
  | { kind: 'split'; id: string | null; child: string }
  | { kind: 'watch' }
  | { kind: 'error'; message: string };

/** Takes an optional leading incident id off the arguments. */
function takeId(rest: string): { id: string | null; rest: string } {
  const [first = '', ...others] = rest.split(/\s+/);
  const id = normalizeIncidentId(first);
  return id ? { id, rest: others.join(' ').trim() } : { id: null, rest };
}

/**
 * `[summary] --override "<reason>"`: gate 3's override rides on resolve. Slack clients may
 * turn `--` into a dash, so `—override` counts too.
 */
function splitOverride(rest: string): { summary: string; override?: string } | { error: string } {
  const match = /(?:^|\s)(?:--|—|–)override(?:\s+|$)/i.exec(rest);
  if (!match) return { summary: rest };
  const reason = rest
    .slice(match.index + match[0].length)
    .trim()
    .replace(/^["“”']+|["“”']+$/g, '')
    .trim();
  if (!reason)
    return {
      error:
        'Give the reason after --override: `/incident resolve [id] [summary] --override "dashboards green for 30 min, fixed upstream"`.',
    };
  return { summary: rest.slice(0, match.index).trim(), override: reason };
}

// Slack clients may turn `--` into a dash, so `—private` counts too.
const OPTION = /^(?:--?|—|–)([\p{L}\p{N}_=-]+)$/u;

/**
 * Takes `--private` off `open`'s words, wherever it stands. A near miss (`--privat`) is refused
 * rather than made part of the title: it would otherwise open a public incident titled "--privat …".
 */
function takePrivateFlag(args: string): { private: boolean; rest: string } | { error: string } {
  const words = args.split(/\s+/).filter(Boolean);
  let flagged = false;
  const rest: string[] = [];
  for (const word of words) {
    const option = OPTION.exec(word);
    if (!option) {
      rest.push(word);
      continue;
    }
    if (option[1]!.toLowerCase() === 'private') {
      flagged = true;
      continue;
    }
    // A word that only looks like an option (`-50%`, `—checkout`) stays in the title.
    if (suggestWord(option[1]!.replace(/=.*$/, ''), ['private']) !== 'private') {
      rest.push(word);
      continue;
    }
    return {
      error: `Unknown option ${quoted(word)}. Did you mean \`--private\`? \`/incident open --private P1 <title>\` opens a private incident. Nothing was opened.`,
    };
  }
  return { private: flagged, rest: rest.join(' ') };
}

/** `--private` (or something close to it) on a subcommand other than open. */
function strayPrivateFlag(args: string): boolean {
  return args.split(/\s+/).some((word) => {
    const option = OPTION.exec(word);
    return option ? suggestWord(option[1]!.replace(/=.*$/, ''), ['private']) === 'private' : false;
  });
}

/** Slack escapes mentions as <@U123|name> (or <@U123>) when the command has escaping on. */
function parseMention(text: string): string | null {
  const match = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(text.trim());
  return match ? match[1]! : null;
}

/** Parses the text after `/incident`. Pure: no lookups, every refusal says what to type instead. */
export function parseIncidentCommand(text: string): ParsedCommand {
  const trimmed = text.trim();
  if (!trimmed) return { kind: 'help' };
  const space = trimmed.search(/\s/);
  const sub = (space === -1 ? trimmed : trimmed.slice(0, space)).toLowerCase();
  const args = space === -1 ? '' : trimmed.slice(space + 1).trim();
  if (sub !== 'open' && SUBCOMMANDS.includes(sub as (typeof SUBCOMMANDS)[number]) && strayPrivateFlag(args)) {
    return {
      kind: 'error',
      message: `\`--private\` goes with \`/incident open\` only: an incident is made private when it opens (\`/incident open --private P1 <title>\`). Nothing was changed.`,
    };
  }

  switch (sub) {
    case 'help':
      return { kind: 'help' };
    case 'list':
      return { kind: 'list' };
    case 'open': {
      const flag = takePrivateFlag(args);
      if ('error' in flag) return { kind: 'error', message: flag.error };
      const isPrivate = flag.private;
      const [first = '', ...rest] = flag.rest.split(/\s+/);
      const word = readSeverityWord(first);
      if (word.kind === 'invalid') {
        return {
          kind: 'error',
          message: `Severity must be one of ${SEVERITIES.join(', ')} (got ${quoted(first)}).${didYouMean(word.suggestion)} Nothing was opened.`,
        };
      }
      if (word.kind === 'severity') {
        const title = rest.join(' ').trim();
        if (!title)
          return {
            kind: 'error',
            message: `Give the incident a title: \`/incident open ${isPrivate ? '--private ' : ''}${word.severity} checkout errors\`.`,
          };
        return { kind: 'open', severity: word.severity, title, private: isPrivate };
      }
      return { kind: 'open', severity: null, title: flag.rest, private: isPrivate };
    }
    case 'update': {
      const { id, rest } = takeId(args);
      if (!rest) return { kind: 'update', id, status: null, text: '' };
      const [first = '', ...others] = rest.split(/\s+/);
      const status = first.toLowerCase();
      if (status === 'closed') return { kind: 'error', message: 'Use `/incident close` to close an incident.' };
      if (isStatus(status)) {
        const updateText = others.join(' ').trim();
        if (!updateText) return { kind: 'error', message: `Say what changed: \`/incident update ${status} <impact and progress>\`.` };
        return { kind: 'update', id, status, text: updateText };
      }
      // A typo of a status would be published as the impact text ("Impact: monitorng …"): refuse it.
      const near = suggestWord(status, STATUSES);
      if (near === 'closed')
        return { kind: 'error', message: `Unknown status ${quoted(first)}. Use \`/incident close\` to close an incident.` };
      if (near) {
        return {
          kind: 'error',
          message: `Unknown status ${quoted(first)}.${didYouMean(near)} Statuses: ${STATUSES.filter((s) => s !== 'closed').join(', ')}. Nothing was posted. To post text that starts with this word, name the status first: \`/incident update investigating ${first.slice(0, 30)} …\`.`,
        };
      }
      return { kind: 'update', id, status: null, text: rest };
    }
    case 'severity': {
      const { id, rest } = takeId(args);
      const value = rest.trim();
      if (value.toLowerCase() === 'confirm') return { kind: 'confirm_severity', id };
      const word = readSeverityWord(value);
      if (word.kind === 'severity') return { kind: 'severity', id, severity: word.severity };
      const suggestion = word.kind === 'invalid' ? word.suggestion : suggestWord(value, ['confirm']);
      return {
        kind: 'error',
        message: `Severity must be one of ${SEVERITIES.join(', ')}${value ? ` (got ${quoted(value)})` : ''}.${didYouMean(suggestion)} \`/incident severity P1\`, or \`/incident severity confirm\`. Nothing was changed.`,
      };
    }
    case 'commander': {
      const { id, rest } = takeId(args);
      const user = parseMention(rest);
      if (!user) return { kind: 'error', message: 'Mention the new commander: `/incident commander @person`.' };
      return { kind: 'commander', id, user };
    }
    case 'role': {
      // `role <role> [id] @person`; the id may also come first, like every other subcommand.
      const lead = takeId(args);
      const [word = '', ...others] = lead.rest.split(/\s+/);
      const role = roleOf(word);
      const usage = `\`/incident role <${ROLES.join('|')}> [id] @person\``;
      if (!role) {
        const near = word ? suggestWord(word, [...ROLES, ...Object.keys(ROLE_ALIASES)]) : null;
        const suggestion = near ? (roleOf(near) ?? near) : null;
        return {
          kind: 'error',
          message: `${word ? `Unknown role ${quoted(word)}.` : 'Name the role.'}${didYouMean(suggestion)} Roles: ${ROLES.join(', ')}. ${usage}`,
        };
      }
      const after = takeId(others.join(' '));
      const user = parseMention(after.rest);
      if (!user) return { kind: 'error', message: `Mention the person: ${usage}.` };
      return { kind: 'role', id: lead.id ?? after.id, role, user };
    }
    case 'note': {
      const { id, rest } = takeId(args);
      if (!rest) return { kind: 'error', message: 'A note needs some text: `/incident note <text>`.' };
      return { kind: 'note', id, text: rest };
    }
    case 'resolve': {
      const { id, rest } = takeId(args);
      const split = splitOverride(rest);
      if ('error' in split) return { kind: 'error', message: split.error };
      return { kind: 'resolve', id, summary: split.summary, ...(split.override !== undefined ? { override: split.override } : {}) };
    }
    case 'report': {
      const { id, rest } = takeId(args);
      if (rest)
        return { kind: 'error', message: `${quoted(rest)} is not an incident id; \`/incident report [id]\` opens the report form.` };
      return { kind: 'report', id };
    }
    case 'action': {
      const { id, rest } = takeId(args);
      // A mention arrives as `<@U123|name>`; the action-item rules take `@U123` and the ids mentioned.
      const mentioned = new Set<string>();
      const plain = rest.replace(/<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>/g, (_m, id: string) => {
        mentioned.add(id);
        return `@${id}`;
      });
      const parsed = parseActionItem(plain, mentioned);
      if (!parsed.ok) return { kind: 'error', message: `${plainText(parsed.reason).replace(/`"<what/, '`/incident action [id] "<what')}` };
      return { kind: 'action', id, item: parsed.item };
    }
    case 'reopen':
    case 'close':
    case 'show': {
      const { id, rest } = takeId(args);
      if (rest && !id) return { kind: 'error', message: `${quoted(rest)} is not an incident id (they look like INC-20261121-001).` };
      return { kind: sub, id };
    }
    case 'rollback': {
      const { id, rest } = takeId(args);
      return { kind: 'rollback', id, args: rest };
    }
    case 'split': {
      // `split <alert name or group key> [id]`; the id may also come first. Group keys hold
      // spaces and quotes (Slack may curl them), so the rest is the child as typed.
      const lead = takeId(args);
      const words = lead.rest.split(/\s+/).filter(Boolean);
      const last = words.length > 1 ? normalizeIncidentId(words[words.length - 1]!) : null;
      const child = (last ? words.slice(0, -1).join(' ') : lead.rest)
        .replace(/[“”]/g, '"')
        .replaceAll('&lt;', '<')
        .replaceAll('&gt;', '>')
        .replaceAll('&amp;', '&')
        .trim();
      if (!child)
        return {
          kind: 'error',
          message:
            'Name the alert group to split out: `/incident split <alert name or group key> [INC-id]` (`/incident show` on the storm lists its groups).',
        };
      return { kind: 'split', id: lead.id ?? last, child };
    }
    case 'drill': {
      const [name = '', ...extra] = args.split(/\s+/).filter(Boolean);
      if (!name || name.toLowerCase() === 'list') return { kind: 'drill', action: 'list', scenario: '' };
      if (extra.length)
        return { kind: 'error', message: `Name one scenario: \`/incident drill ${name.slice(0, 40)}\` (\`/incident drill\` lists them).` };
      if (name.toLowerCase() === 'stop') return { kind: 'drill', action: 'stop', scenario: '' };
      return { kind: 'drill', action: 'start', scenario: name.toLowerCase() };
    }
    case 'watch':
      if (args.trim()) return { kind: 'error', message: '`/incident watch` takes nothing after it: it lists the deploys being watched.' };
      return { kind: 'watch' };
    default:
      return {
        kind: 'error',
        message: `Unknown subcommand ${quoted(sub)}.${didYouMean(suggestWord(sub, SUBCOMMANDS))} Try \`/incident help\`.`,
      };
  }
}
