/** Slack channel names: lowercase letters, digits, hyphens and underscores, at most 80 characters. */
export const MAX_CHANNEL_NAME = 80;

export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '');
}

/** `inc-20261121-001-checkout-errors`; attempt > 1 adds `-2`, `-3` … while keeping within 80 chars. */
export function incidentChannelName(prefix: string, incidentId: string, title: string, attempt = 1): string {
  const base = `${prefix}-${incidentId.slice(4).toLowerCase()}`; // INC-20261121-001 → 20261121-001
  const suffix = attempt > 1 ? `-${attempt}` : '';
  const room = MAX_CHANNEL_NAME - base.length - suffix.length - 1;
  const slug = slugify(title)
    .slice(0, Math.max(0, room))
    .replace(/[-_]+$/, '');
  return `${base}${slug ? `-${slug}` : ''}${suffix}`;
}

/**
 * The incident a channel was created for, read back from its name: the name is the marker
 * that lets a channel whose creation was never recorded (the store failed right after) be
 * found and attached instead of created again. Ids are never reused, so the match is exact.
 */
export function incidentIdOfChannelName(prefix: string, name: string): string | null {
  if (!name.startsWith(`${prefix}-`)) return null;
  const match = /^(\d{8})-(\d{3,})(?:-|$)/.exec(name.slice(prefix.length + 1));
  return match ? `INC-${match[1]}-${match[2]}` : null;
}

/**
 * Whether a channel name is one the bot gives a private incident's channel: `<prefix>-<id>-private`,
 * or with `-2`, `-3` … after name_taken. No other name may stand for a private incident's channel.
 */
export function isPrivateChannelNameOf(prefix: string, incidentId: string, name: string): boolean {
  const base = incidentChannelName(prefix, incidentId, 'private');
  return name === base || (name.startsWith(`${base}-`) && /^\d+$/.test(name.slice(base.length + 1)));
}
