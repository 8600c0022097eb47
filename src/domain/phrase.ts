/**
 * Text the bot records: literal words plus structured references (people, channels, links).
 * The domain never writes front-end markup; each front end renders references its own way
 * (Slack as mentions, GitHub and the Markdown report as names).
 *
 * The rule that keeps outside text harmless: a plain `string` is ALWAYS literal words. Text
 * from alerts, webhooks and runner output only ever enters as a string, so no renderer can
 * turn it into a mention. References come only from the bot itself (actor ids) or from
 * what a person typed in Slack, parsed at the Slack edge (`parseSlackText`).
 */
export type Ref =
  | { kind: 'user'; id: string }
  | { kind: 'channel'; id: string; name?: string }
  /** A user group (Slack `subteam`), typed by a person. */
  | { kind: 'group'; id: string; name?: string }
  /** `@here`, `@channel`, `@everyone`, typed by a person. */
  | { kind: 'broadcast'; to: 'here' | 'channel' | 'everyone' }
  | { kind: 'link'; url: string; label?: string };

export type Part = string | Ref;

/** A plain string (literal words) or words and references in order. */
export type Phrase = string | readonly Part[];

export function user(id: string): Ref {
  return { kind: 'user', id };
}

/**
 * Builds a phrase: interpolated strings and numbers are literal words, refs stay refs,
 * phrases are spliced in. `phrase\`Acknowledged by ${user(id)}\``.
 */
export function phrase(strings: TemplateStringsArray, ...values: (string | number | Ref | Phrase)[]): Phrase {
  const out: Part[] = [];
  strings.forEach((s, i) => {
    push(out, s);
    if (i < values.length) {
      const v = values[i]!;
      if (typeof v === 'number') push(out, String(v));
      else if (typeof v === 'string') push(out, v);
      else if (Array.isArray(v)) for (const p of v as readonly Part[]) push(out, p);
      else push(out, v as Ref);
    }
  });
  return compact(out);
}

/** Joins phrases with a literal separator. */
export function joinPhrases(items: readonly Phrase[], separator: string): Phrase {
  const out: Part[] = [];
  items.forEach((item, i) => {
    if (i > 0) push(out, separator);
    for (const p of parts(item)) push(out, p);
  });
  return compact(out);
}

export function parts(p: Phrase): readonly Part[] {
  return typeof p === 'string' ? (p ? [p] : []) : p;
}

/** Trims surrounding whitespace (of the first and last words). */
export function trimPhrase(p: Phrase): Phrase {
  if (typeof p === 'string') return p.trim();
  const out = [...p];
  if (typeof out[0] === 'string') out[0] = out[0].trimStart();
  const last = out.length - 1;
  if (typeof out[last] === 'string') out[last] = (out[last] as string).trimEnd();
  return compact(out.filter((x) => x !== ''));
}

export function isEmptyPhrase(p: Phrase): boolean {
  return parts(p).every((x) => typeof x === 'string' && !x.trim());
}

/** The user ids a phrase refers to (for a name lookup before rendering). */
export function userIdsIn(p: Phrase): string[] {
  return parts(p).flatMap((x) => (typeof x !== 'string' && x.kind === 'user' ? [x.id] : []));
}

/**
 * The phrase as plain words for places without mentions (Markdown, logs, the read API's
 * `text_plain`). People show as their name when known, otherwise their id without any `@`.
 */
export function plainText(p: Phrase, nameOf: (id: string) => string = (id) => id): string {
  return parts(p)
    .map((x) => {
      if (typeof x === 'string') return x;
      switch (x.kind) {
        case 'user':
          return nameOf(x.id);
        case 'channel':
          return `#${x.name ?? x.id}`;
        case 'group':
          return x.name ?? 'a user group';
        case 'broadcast':
          return `@${x.to}`;
        case 'link':
          return x.label ? `${x.label} (${x.url})` : x.url;
        default:
          return exhaustive(x);
      }
    })
    .join('');
}

/** Tells a phrase from other values in loosely typed places (timeline `details`). */
export function isPhrase(value: unknown): value is Phrase {
  return typeof value === 'string' || Array.isArray(value);
}

function push(out: Part[], p: Part): void {
  if (typeof p === 'string') {
    if (!p) return;
    const last = out[out.length - 1];
    if (typeof last === 'string') out[out.length - 1] = last + p;
    else out.push(p);
  } else out.push(p);
}

/** A phrase of words only collapses to a plain string, so stored text stays simple. */
function compact(out: Part[]): Phrase {
  if (out.length === 0) return '';
  if (out.length === 1 && typeof out[0] === 'string') return out[0];
  return out;
}

/** For a switch that covers every kind: the compiler refuses a missing case here. */
export function exhaustive(value: never): never {
  throw new Error(`unhandled phrase part: ${JSON.stringify(value)}`);
}
