import { plainText, type Phrase } from '../phrase';

/** Slack user id → the person's name, as looked up through the user directory. */
export type UserNames = Readonly<Record<string, string>>;

const USER_ID = /^[UWB][A-Z0-9]{2,}$/;

/**
 * A phrase for Markdown (the GitHub issue, the report): people by name, or by their bare
 * id when the name is unknown. Never `@id`, which GitHub would read as a mention of
 * whoever owns that login. Escape the result with escapeInline/escapeBlock.
 */
export function namedText(p: Phrase, names: UserNames = {}): string {
  return plainText(p, (id) => names[id] ?? id);
}

/** A timeline actor for humans: people by name, the bot by name, alert sources as they are. */
export function displayActor(actor: string, names: UserNames = {}): string {
  if (actor === 'bot') return 'incident-bot';
  if (actor === 'deploy-watch') return 'deploy watch';
  if (USER_ID.test(actor)) return names[actor] ?? actor;
  return actor;
}
