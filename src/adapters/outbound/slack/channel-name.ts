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
  const slug = slugify(title).slice(0, Math.max(0, room)).replace(/[-_]+$/, '');
  return `${base}${slug ? `-${slug}` : ''}${suffix}`;
}
