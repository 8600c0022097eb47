import type { webApi } from '@slack/bolt';
import type { RedisRollbackRequests } from '../redis/redis-rollback-requests';
import type { RollbackMessenger, RollbackPlans } from '../../../app/ports/rollback-messenger';
import type { IncidentService } from '../../../app/incident-service';
import { requestPlaceholders, type RollbackRequest, type SlackMessageRef } from '../../../domain/rollback/rollback-request';
import type { Logger } from '../../../logger';
import type { Metrics } from '../../../metrics';
import { describeSlackError } from './slack-errors';
import { rollbackApprovalView, stabilizedView } from './views/rollback-approval-view';
import type { Phrase } from '../../../domain/phrase';
import { slackText } from './views/slack-text';
import { LIMITS, truncate } from './views/block-kit';

// chat.update is rate limited per channel (~1/s): progress redraws are coalesced to this pace.
const MIN_REDRAW_MS = 1_000;

/**
 * Rollback requests in Slack: the approval blocks go to the incident channel (when there is
 * one) and the incident-response channel and are redrawn in place from the stored request;
 * notices (fallback, failure, unknown outcome, "System stabilized — resolve?") go beside them.
 */
export class SlackRollbackMessenger implements RollbackMessenger {
  private readonly redraws = new Map<string, { running: boolean; again: boolean; last: number }>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly deps: {
      service: IncidentService;
      requests: RedisRollbackRequests;
      plans: RollbackPlans;
      incidentChannel: string;
      log: Logger;
      metrics: Metrics;
    },
  ) {}

  private async channels(request: Pick<RollbackRequest, 'incidentId'>): Promise<string[]> {
    const incident = await this.deps.service.get(request.incidentId);
    // A private incident's rollback is its detail: only in its private channel.
    if (incident?.private && incident.channel) return [incident.channel.id];
    return [...(incident?.channel ? [incident.channel.id] : []), this.deps.incidentChannel];
  }

  private async view(request: RollbackRequest) {
    const incident = await this.deps.service.get(request.incidentId);
    const config = this.deps.plans(request.service);
    if (!incident || !config) return null;
    return rollbackApprovalView({
      request,
      incident,
      plan: config.plan,
      approvers: config.approvers,
      placeholders: requestPlaceholders(request),
      now: this.deps.service.now(),
    });
  }

  async postApproval(request: RollbackRequest): Promise<SlackMessageRef[]> {
    const view = await this.view(request);
    if (!view) return [];
    const refs: SlackMessageRef[] = [];
    for (const channel of await this.channels(request)) {
      const posted = await this.call('chat.postMessage', () =>
        this.client.chat.postMessage({
          channel,
          text: view.text,
          blocks: view.blocks,
          unfurl_links: false,
          metadata: approvalMetadata(request.id),
        }),
      );
      if (posted) refs.push({ channel: posted.channel as string, ts: posted.ts as string });
    }
    return refs;
  }

  refresh(requestId: string): void {
    const state = this.redraws.get(requestId) ?? { running: false, again: false, last: 0 };
    this.redraws.set(requestId, state);
    if (state.running) {
      state.again = true;
      return;
    }
    state.running = true;
    void this.redrawLoop(requestId, state);
  }

  /** Draws the latest stored state; clicks and progress arriving meanwhile cause one more draw, not one each. */
  private async redrawLoop(requestId: string, state: { running: boolean; again: boolean; last: number }): Promise<void> {
    try {
      do {
        state.again = false;
        const wait = state.last + MIN_REDRAW_MS - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        state.last = Date.now();
        const request = await this.deps.requests.get(requestId);
        const view = request ? await this.view(request) : null;
        if (!request || !view) break;
        for (const ref of request.messages) {
          await this.call('chat.update', () =>
            this.client.chat.update({ channel: ref.channel, ts: ref.ts, text: view.text, blocks: view.blocks }),
          );
        }
      } while (state.again);
    } catch (error) {
      this.deps.log.warn({ err: error, request: requestId }, 'could not redraw rollback blocks');
    } finally {
      state.running = false;
    }
  }

  async stabilized(request: RollbackRequest): Promise<void> {
    const view = stabilizedView(request);
    for (const channel of await this.channels(request)) {
      await this.call('chat.postMessage', () => this.client.chat.postMessage({ channel, text: view.text, blocks: view.blocks }));
    }
  }

  async notice(request: Pick<RollbackRequest, 'incidentId'>, text: Phrase): Promise<void> {
    const rendered = truncate(slackText(text), LIMITS.sectionText);
    for (const channel of await this.channels(request)) {
      await this.call('chat.postMessage', () => this.client.chat.postMessage({ channel, text: rendered }));
    }
  }

  /** Slack failing never stops a rollback: the failure is logged and counted, the flow goes on. */
  private async call<T>(method: string, fn: () => Promise<T>): Promise<T | null> {
    try {
      return await fn();
    } catch (error) {
      const failure = describeSlackError(error);
      this.deps.metrics.slackErrors.inc({ method, error: failure.code });
      this.deps.log.warn({ method, error: failure.code }, `Slack ${method} failed: ${failure.userMessage}`);
      return null;
    }
  }
}

/** Names the request on its own message, so a click proves which request the person saw (click-origin.ts). */
function approvalMetadata(requestId: string) {
  return { event_type: 'incident_bot_rollback_request', event_payload: { request_id: requestId } };
}
