import type { SlackCall, SlackStandIn } from '../../support/slack-stand-in';
import { waitFor, type RunningBot } from '../../support/start-bot';

const NEVER = { first_response: '1h', update_every: '1h', resolve_within: '1d', monitor_after: '1h', escalate: [] };

/** A file config with second-scale SLA durations; every severity slow unless overridden. */
export function slaFile(
  severities: Record<string, Record<string, unknown>> = {},
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    services: [{ name: 'checkout', owners: ['U0ALICE'], escalation: { level3: ['S0EXECS'] } }, { name: 'search' }],
    severities: {
      P0: { ...NEVER, ...severities.P0 },
      P1: { ...NEVER, ...severities.P1 },
      P2: { ...NEVER, ...severities.P2 },
      P3: { ...NEVER, ...severities.P3 },
    },
    escalation: { level2: ['U0LEAD'], level3: ['U0CTO'] },
    ...extra,
  };
}

/** SLA notices the bot posted (chat.postMessage with our message metadata). */
export function notices(slack: SlackStandIn, filter: { incident?: string; kind?: string } = {}): SlackCall[] {
  return slack.callsTo('chat.postMessage').filter((c) => {
    const payload = c.args.metadata?.event_payload;
    if (c.args.metadata?.event_type !== 'incident_sla_notice' || !payload) return false;
    return (!filter.incident || payload.incident_id === filter.incident) && (!filter.kind || payload.kind === filter.kind);
  });
}

export async function openIncident(bot: RunningBot, text: string, user = 'U0ALICE'): Promise<{ id: string; openedAt: number }> {
  const res = await bot.command(text, { user });
  const reply = await waitFor(() => bot.replies(res.responseId)[0], `reply to ${text}`);
  const id = /INC-\d{8}-\d{3}/.exec(reply.text)?.[0];
  if (!id) throw new Error(`no incident id in "${reply.text}"`);
  const incident = await bot.bot.store.get(id);
  return { id, openedAt: incident!.createdAt };
}

export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
