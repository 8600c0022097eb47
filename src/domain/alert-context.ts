/**
 * What an incident's alerts say about where to look: runbook, dashboard and source links,
 * and a short summary of their labels. Text here comes from alert senders: views escape it.
 */
export interface AlertContext {
  /** Runbook first, then dashboards, sources and other links; each URL once. */
  links: AlertLink[];
  /** The most useful labels first (config `alerts.context_labels`), then the rest by name. */
  labels: { name: string; value: string }[];
}

export interface AlertLink {
  kind: 'runbook' | 'dashboard' | 'source' | 'link';
  title: string;
  url: string;
}

/** The labels a label summary shows first, in this order (the rest follow by name); config may override. */
export const DEFAULT_CONTEXT_LABELS: readonly string[] = ['alertname', 'service', 'severity', 'namespace', 'cluster', 'job', 'instance'];
export const MAX_CONTEXT_LINKS = 6;
export const MAX_CONTEXT_LABELS = 8;
const MAX_TITLE = 60;
const MAX_VALUE = 100;
const MAX_URL = 1_000;
const KIND_ORDER: AlertLink['kind'][] = ['runbook', 'dashboard', 'source', 'link'];

function kindOf(title: string): AlertLink['kind'] {
  const t = title.toLowerCase();
  if (t.includes('runbook') || t.includes('playbook')) return 'runbook';
  if (t.includes('dashboard') || t.includes('grafana')) return 'dashboard';
  if (t === 'source' || t.includes('prometheus') || t.includes('generator')) return 'source';
  return 'link';
}

/**
 * Only http(s) links, and with the characters that end or split a Slack or Markdown link
 * (`<`, `>`, `|`, spaces, parentheses) percent-encoded, so a link cannot smuggle markup.
 */
export function safeUrl(url: string): string | null {
  const trimmed = url.trim();
  if (!/^https?:\/\/[^\s/]/i.test(trimmed) || trimmed.length > MAX_URL) return null;
  return trimmed.replace(/[<>|\s()"'`\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

// Zero-width and bidirectional controls let sender text hide or reorder what people read.
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;

function clip(text: string, max: number): string {
  const one = text.replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}

/** Builds the context from a group's alerts (the lead alert first). Pure. */
export function buildAlertContext(
  alerts: { links: { title: string; url: string }[]; labels: Record<string, string> }[],
  preferredLabels: readonly string[],
): AlertContext {
  const seen = new Set<string>();
  const links: AlertLink[] = [];
  for (const alert of alerts) {
    for (const link of alert.links) {
      const url = safeUrl(link.url);
      if (!url || seen.has(url)) continue;
      seen.add(url);
      links.push({ kind: kindOf(link.title), title: clip(link.title, MAX_TITLE) || 'Link', url });
    }
  }
  links.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));

  // Labels every alert shares say what the incident is about; one alert's instance does not.
  const [first, ...rest] = alerts;
  const shared = Object.entries(first?.labels ?? {}).filter(
    ([name, value]) => rest.every((a) => a.labels[name] === value) && value.trim() !== '',
  );
  const rank = (name: string) => {
    const i = preferredLabels.indexOf(name);
    return i === -1 ? preferredLabels.length : i;
  };
  shared.sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
  return {
    links: links.slice(0, MAX_CONTEXT_LINKS),
    labels: shared.slice(0, MAX_CONTEXT_LABELS).map(([name, value]) => ({ name: clip(name, MAX_TITLE), value: clip(value, MAX_VALUE) })),
  };
}
