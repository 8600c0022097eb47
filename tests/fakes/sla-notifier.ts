import { slaTargets } from '../../src/app/sla/sla-targets';
import type { SlaAudience, SlaNotice, SlaNotifier, SlaTarget } from '../../src/app/ports/sla-notifier';
import type { Incident } from '../../src/domain/incident';

/** A notice as it landed in chat: where, under which effect key, and what it said. */
export interface PostedNotice {
  channel: string;
  threadTs?: string;
  effectKey: string;
  at: number;
  notice: SlaNotice;
}

/**
 * The Slack side of the SLA clocks in memory, with SlackSlaNotifier's contract: the same targets
 * (the incident's channel, else the announcement's thread, else the response channel; plus the
 * response channel for `incident_and_response`), postTo throws when a channel refuses (listed in
 * `refusing`), wasPosted finds a notice by its effect key, refresh never throws.
 */
export class FakeSlaNotifier implements SlaNotifier {
  readonly posted: PostedNotice[] = [];
  readonly redrawn: string[] = [];
  readonly refusing = new Set<string>();

  constructor(
    private readonly clock: () => number,
    private readonly responseChannel = 'C0RESPONSE',
  ) {}

  targets(incident: Incident, audience: SlaAudience): SlaTarget[] {
    return slaTargets(incident, audience, this.responseChannel);
  }

  async postTo(target: SlaTarget, notice: SlaNotice, effectKey: string): Promise<void> {
    if (this.refusing.has(target.channel)) throw new Error(`Slack chat.postMessage to ${target.channel} failed: channel_not_found`);
    this.posted.push({
      channel: target.channel,
      ...(target.threadTs ? { threadTs: target.threadTs } : {}),
      effectKey,
      at: this.clock(),
      notice: structuredClone(notice),
    });
  }

  async wasPosted(target: SlaTarget, effectKey: string, startedAt: number): Promise<boolean> {
    return this.posted.some(
      (p) => p.channel === target.channel && p.threadTs === target.threadTs && p.effectKey === effectKey && p.at >= startedAt,
    );
  }

  async refresh(incidentId: string): Promise<void> {
    this.redrawn.push(incidentId);
  }
}
