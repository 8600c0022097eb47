// Slack mrkdwn → HTML, as the Slack client shows it: *bold*, _italic_, ~strike~, `code`,
// ```pre```, > quotes, <url|links>, <@U…> mentions, <#C…> channel links, <!here>,
// <!subteam^S…>, <!date^…> tokens and :emoji:. Text arrives with Slack's three escapes
// (&amp; &lt; &gt;); everything that reaches the page is escaped again for HTML.
import { formatSlackDate } from './slack-date.js';

const EMOJI = {
  alarm_clock: '⏰',
  arrows_counterclockwise: '🔄',
  bell: '🔔',
  construction: '🚧',
  grey_question: '❔',
  hourglass_flowing_sand: '⏳',
  large_green_circle: '🟢',
  large_orange_circle: '🟠',
  large_yellow_circle: '🟡',
  leftwards_arrow_with_hook: '↩️',
  lock: '🔒',
  memo: '📝',
  no_entry: '⛔',
  octagonal_sign: '🛑',
  red_circle: '🔴',
  rotating_light: '🚨',
  tada: '🎉',
  warning: '⚠️',
  white_check_mark: '✅',
  white_circle: '⚪',
  x: '❌',
  pagerduty: '📟',
  slack: '💬',
  execute: '▶️',
  eyes: '👀',
  fire: '🔥',
  rocket: '🚀',
  check: '✔️',
  heavy_check_mark: '✔️',
  information_source: 'ℹ️',
  point_right: '👉',
  clipboard: '📋',
  mag: '🔍',
  wave: '👋',
  '+1': '👍',
  thumbsup: '👍',
};

export function escapeHtml(text) {
  return String(text).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/** Undoes Slack's own escaping, so the text can be escaped once for HTML. */
function unescapeSlack(text) {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

function safeUrl(url) {
  return /^(https?:|mailto:)/i.test(url) ? url : null;
}

/** One `<…>` token → HTML. `ctx` names users, channels and groups, and gives now/timeZone for dates. */
function renderAngle(inner, ctx) {
  const [target, label] = splitOnce(inner, '|');
  if (target.startsWith('@')) {
    const id = target.slice(1);
    const name = ctx.users?.[id] ?? label ?? id;
    return `<span class="mention" data-user="${escapeHtml(id)}">@${escapeHtml(name)}</span>`;
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    const name = ctx.channels?.[id] ?? label ?? id;
    return `<span class="channel-link" data-channel="${escapeHtml(id)}">#${escapeHtml(name)}</span>`;
  }
  if (target.startsWith('!')) {
    const [kind, ...rest] = target.slice(1).split('^');
    if (kind === 'date') {
      const [seconds, format, link] = rest;
      const text = formatSlackDate(Number(seconds), format ?? '', { now: ctx.now, timeZone: ctx.timeZone });
      const shown = escapeHtml(text ?? unescapeSlack(label ?? ''));
      const href = link && safeUrl(link);
      return href
        ? `<a class="date" href="${escapeHtml(href)}" target="_blank" rel="noopener">${shown}</a>`
        : `<span class="date">${shown}</span>`;
    }
    if (kind === 'subteam') {
      const id = rest[0] ?? '';
      return `<span class="mention group">${escapeHtml(label ?? `@${ctx.groups?.[id] ?? id}`)}</span>`;
    }
    if (['here', 'channel', 'everyone'].includes(kind)) return `<span class="mention broadcast">@${kind}</span>`;
    return escapeHtml(label ?? '');
  }
  const href = safeUrl(unescapeSlack(target));
  const text = label !== undefined ? unescapeSlack(label) : unescapeSlack(target);
  return href ? `<a href="${escapeHtml(href)}" target="_blank" rel="noopener">${escapeHtml(text)}</a>` : escapeHtml(text);
}

function splitOnce(text, separator) {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

// Slack only formats a marker pair that starts after a boundary and ends before one.
const BOUNDARY_BEFORE = '(^|[\\s(\\[{"\'>\u0001])';
const BOUNDARY_AFTER = '(?=$|[\\s)\\]}.,;:!?"\'<\u0001])';
const STYLES = [
  ['\\*', 'b'],
  ['_', 'i'],
  ['~', 's'],
];

function formatInline(text) {
  let out = text;
  for (const [marker, tag] of STYLES) {
    const re = new RegExp(
      `${BOUNDARY_BEFORE}${marker}([^\\s${marker}\\n](?:[^${marker}\\n]*?[^\\s${marker}\\n])?)${marker}${BOUNDARY_AFTER}`,
      'g',
    );
    out = out.replace(re, (_m, before, inner) => `${before}<${tag}>${inner}</${tag}>`);
  }
  return out.replace(/:([a-z0-9_+-]+):/g, (whole, name) =>
    EMOJI[name] ? `<span class="emoji" title=":${name}:">${EMOJI[name]}</span>` : whole,
  );
}

/**
 * Renders one mrkdwn string. Code is taken out first (nothing inside it is formatted), then
 * `<…>` tokens become placeholders so formatting never reaches into a URL.
 */
export function renderMrkdwn(text, ctx = {}) {
  const slots = [];
  const hold = (html) => `\u0001${slots.push(html) - 1}\u0001`;
  let work = String(text ?? '');
  work = work.replace(/```([\s\S]*?)```/g, (_m, code) => hold(`<pre>${escapeHtml(unescapeSlack(code.replace(/^\n/, '')))}</pre>`));
  work = work.replace(/`([^`\n]+)`/g, (_m, code) => hold(`<code>${escapeHtml(unescapeSlack(code))}</code>`));
  work = work.replace(/<([^<>\n]+)>/g, (_m, inner) => hold(renderAngle(inner, ctx)));
  const lines = work.split('\n').map((line) => {
    const quoted = /^&gt;\s?/.test(line);
    const body = formatInline(escapeHtml(unescapeSlack(quoted ? line.replace(/^&gt;\s?/, '') : line)));
    return { quoted, body };
  });
  let html = '';
  for (let i = 0; i < lines.length; i++) {
    const { quoted, body } = lines[i];
    if (quoted) {
      const group = [body];
      while (lines[i + 1]?.quoted) group.push(lines[++i].body);
      html += `<blockquote>${group.join('<br>')}</blockquote>`;
    } else html += body + (i < lines.length - 1 && !lines[i + 1].quoted ? '<br>' : '');
  }
  return html.replace(/\u0001(\d+)\u0001/g, (_m, n) => slots[Number(n)]);
}

/** A plain_text object: only :emoji: when `emoji` is on, everything else literal. */
export function renderPlainText(text, emoji = true) {
  const html = escapeHtml(text ?? '');
  return emoji ? html.replace(/:([a-z0-9_+-]+):/g, (whole, name) => EMOJI[name] ?? whole) : html;
}
