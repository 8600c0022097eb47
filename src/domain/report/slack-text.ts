/**
 * Timeline text is Slack mrkdwn: `<@U123>`, `<#C123|name>`, `<https://x|label>`.
 * GitHub does not understand those, so they become `@name`, `#name` and `label (url)`.
 */
export function slackToPlain(text: string, userNames: Record<string, string> = {}): string {
  // Targets never contain spaces, so `<!-- a comment -->` or `a < b > c` are left alone.
  return text.replace(/<([@#!]?)([^<>|\s]+)(?:\|([^<>]*))?>/g, (whole, sigil: string, target: string, label: string | undefined) => {
    if (sigil === '@') return `@${userNames[target] ?? label ?? target}`;
    if (sigil === '#') return `#${label ?? target}`;
    if (sigil === '!') return `@${label ?? target}`;
    if (/^(https?|mailto):/.test(target)) return label ? `${label} (${target})` : target;
    return whole;
  });
}

/** A timeline actor for humans: Slack ids as @name, the bot by name, alert sources as they are. */
export function displayActor(actor: string, userNames: Record<string, string> = {}): string {
  if (actor === 'bot') return 'incident-bot';
  if (/^[UWB][A-Z0-9]{2,}$/.test(actor)) return `@${userNames[actor] ?? actor}`;
  return actor;
}
