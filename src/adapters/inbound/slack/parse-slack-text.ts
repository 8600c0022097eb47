import type { Part, Phrase, Ref } from '../../../domain/phrase';

/**
 * What a person typed in Slack, as a phrase: Slack sends mentions, channel links and links
 * as `<@U…|name>`, `<#C…|name>`, `<!subteam^S…|@team>`, `<!here>`, `<https://…|label>`
 * (the command is declared with `should_escape: true`). Those become references, so they
 * render again as mentions in Slack and as names elsewhere. Everything else stays words,
 * with Slack's `&amp;`/`&lt;`/`&gt;` turned back into the characters the person typed.
 *
 * Only text from a signed Slack request by a person goes through here; alert, webhook and
 * runner text never does, which is what keeps it from notifying anyone.
 */
export function parseSlackText(text: string): Phrase {
  const out: Part[] = [];
  let last = 0;
  for (const m of text.matchAll(/<([^<>\s|]+)(?:\|([^<>]*))?>/g)) {
    const ref = toRef(m[1]!, m[2]);
    if (!ref) continue;
    if (m.index > last) out.push(unescapeSlack(text.slice(last, m.index)));
    out.push(ref);
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(unescapeSlack(text.slice(last)));
  if (out.every((p) => typeof p === 'string')) return out.join('');
  return out;
}

function toRef(target: string, label: string | undefined): Ref | null {
  const name = label ? unescapeSlack(label) : undefined;
  if (/^@[UW][A-Z0-9]+$/.test(target)) return { kind: 'user', id: target.slice(1) };
  if (/^#C[A-Z0-9]+$/.test(target) || /^#G[A-Z0-9]+$/.test(target))
    return { kind: 'channel', id: target.slice(1), ...(name ? { name } : {}) };
  const group = /^!subteam\^([A-Z0-9]+)$/.exec(target);
  if (group) return { kind: 'group', id: group[1]!, ...(name ? { name: name.replace(/^@/, '') } : {}) };
  if (target === '!here' || target === '!channel' || target === '!everyone')
    return { kind: 'broadcast', to: target.slice(1) as 'here' | 'channel' | 'everyone' };
  if (/^(https?:\/\/|mailto:)/.test(target)) return { kind: 'link', url: unescapeSlack(target), ...(name ? { label: name } : {}) };
  return null;
}

function unescapeSlack(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}
