import type { IncidentObserver, OpenOptions } from '../../src/app/ports/incident-observer';
import type { ClickReplies, RollbackMessenger } from '../../src/app/ports/rollback-messenger';
import type { Incident } from '../../src/domain/incident';
import { plainText, type Phrase } from '../../src/domain/phrase';
import type { RollbackRequest, SlackMessageRef } from '../../src/domain/rollback/rollback-request';
import type { TimelineEventInput } from '../../src/domain/timeline';

/** An observer that keeps what it was told, as values: the lines a chat front end would post. */
export class RecordingNotifier implements IncidentObserver {
  readonly name = 'recording-notifier';
  readonly posts: string[] = [];
  failing = false;
  notice: string | null = null;

  async opened(incident: Incident, _options: OpenOptions): Promise<string | undefined> {
    if (this.failing) throw new Error('chat is down');
    this.posts.push(`opened ${incident.id} ${incident.severity} ${incident.status}`);
    return this.notice ?? undefined;
  }

  async changed(incident: Incident, events: TimelineEventInput[], previous: Incident): Promise<string | undefined> {
    if (this.failing) throw new Error('chat is down');
    this.posts.push(`${incident.id} ${previous.status}->${incident.status} [${events.map((e) => e.kind).join(',')}]`);
    return this.notice ?? undefined;
  }
}

/** What the rollback flow showed people, as plain text lines. */
export class RecordingRollbackMessenger implements RollbackMessenger {
  readonly approvals: string[] = [];
  readonly notices: string[] = [];
  readonly stabilizedRequests: string[] = [];
  async postApproval(request: RollbackRequest): Promise<SlackMessageRef[]> {
    this.approvals.push(request.id);
    return [{ channel: 'C-INCIDENTS', ts: `${this.approvals.length}.000` }];
  }
  refresh(): void {}
  async stabilized(request: RollbackRequest): Promise<void> {
    this.stabilizedRequests.push(request.id);
  }
  async notice(target: Pick<RollbackRequest, 'incidentId'>, text: Phrase): Promise<void> {
    this.notices.push(`${target.incidentId}: ${plainText(text)}`);
  }
}

/** Ephemeral replies to the person who clicked, as plain text per reply address. */
export class RecordingReplies implements ClickReplies {
  readonly replies: { to: string; text: string }[] = [];
  async reply(replyTo: string, text: Phrase): Promise<void> {
    this.replies.push({ to: replyTo, text: plainText(text) });
  }
}
