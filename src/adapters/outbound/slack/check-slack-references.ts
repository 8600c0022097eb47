import type { webApi } from '@slack/bolt';
import type { ConfigWarning } from '../../../app/config-check/config-warning';
import type { Config } from '../../../config/load-config';

/**
 * The checks that need Slack: the announcement channel exists (conversations.list, scope
 * channels:read; private channels are not listed, so name those by id and invite the bot),
 * every user group resolves (usergroups.users.list), and a P0 two-approver rule can be met
 * counting the groups' members. A Slack error becomes one warning naming it, never a crash.
 */
export async function checkSlackReferences(client: webApi.WebClient, config: Config): Promise<ConfigWarning[]> {
  const warnings: ConfigWarning[] = [];
  const channel = config.channels.incident_response;
  try {
    const known = await listPublicChannels(client);
    const wanted = channel.replace(/^#/, '');
    if (!known.some((c) => c.id === wanted || c.name === wanted)) {
      warnings.push({
        code: 'channel_unknown',
        where: 'channels.incident_response',
        message: `Slack has no public channel "${channel}": announcements and approvals would go nowhere (create it, or give a private channel's id and invite the bot)`,
      });
    }
  } catch (error) {
    warnings.push({
      code: 'slack_check_failed',
      where: 'channels.incident_response',
      message: `could not list Slack channels: ${slackError(error)}`,
    });
  }

  const members = new Map<string, Promise<string[] | string>>();
  const resolve = (group: string) => {
    if (!members.has(group))
      members.set(
        group,
        client.usergroups.users.list({ usergroup: group }).then(
          (r) => (r.users as string[] | undefined) ?? [],
          (error) => slackError(error),
        ),
      );
    return members.get(group)!;
  };
  for (const { where, group } of groupReferences(config)) {
    const result = await resolve(group);
    if (typeof result === 'string')
      warnings.push({
        code: result.includes('no_such_subteam') ? 'user_group_unknown' : 'slack_check_failed',
        where,
        message: `user group ${group} does not resolve (${result})`,
      });
  }

  for (const [i, service] of config.services.entries()) {
    const rollback = service.rollback;
    if (!rollback?.twoApproversForP0 || rollback.approvers.groups.length === 0) continue;
    const people = new Set(rollback.approvers.users);
    for (const group of rollback.approvers.groups) {
      const result = await resolve(group);
      if (typeof result !== 'string')
        result.forEach((u) => {
          people.add(u);
        });
    }
    if (people.size < 2)
      warnings.push({
        code: 'approvers_short',
        where: `services[${i}] (${service.name}).rollback.approvers`,
        message: `two_approvers_for_p0 needs two distinct approvers, but the users and groups listed hold ${people.size}: a P0 rollback can never be approved`,
      });
  }
  return warnings;
}

function groupReferences(config: Config): { where: string; group: string }[] {
  const refs: { where: string; group: string }[] = [];
  const isGroup = (id: string) => id.startsWith('S');
  for (const level of ['level2', 'level3'] as const)
    config.sla.escalation[level].filter(isGroup).forEach((group) => {
      refs.push({ where: `escalation.${level}`, group });
    });
  config.services.forEach((s, i) => {
    const at = `services[${i}] (${s.name})`;
    if (s.user_group) refs.push({ where: `${at}.user_group`, group: s.user_group });
    s.rollback?.approvers.groups.forEach((group) => {
      refs.push({ where: `${at}.rollback.approvers.groups`, group });
    });
    for (const level of ['level2', 'level3'] as const)
      (config.sla.services[s.name]?.escalation?.[level] ?? []).filter(isGroup).forEach((group) => {
        refs.push({ where: `${at}.escalation.${level}`, group });
      });
  });
  return refs;
}

async function listPublicChannels(client: webApi.WebClient): Promise<{ id: string; name: string }[]> {
  const channels: { id: string; name: string }[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.conversations.list({
      types: 'public_channel',
      exclude_archived: true,
      limit: 1000,
      ...(cursor ? { cursor } : {}),
    });
    for (const c of page.channels ?? []) if (c.id && c.name) channels.push({ id: c.id, name: c.name });
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor);
  return channels;
}

function slackError(error: unknown): string {
  const data = (error as { data?: { error?: string; needed?: string } }).data;
  if (data?.error) return data.needed ? `${data.error}, needs scope ${data.needed}` : data.error;
  return (error as Error).message;
}
