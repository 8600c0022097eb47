import type { Phrase } from '../../domain/phrase';
import type { RollbackRequest, SlackMessageRef } from '../../domain/rollback/rollback-request';
import type { ServiceRollbackConfig } from '../../domain/rollback/service-rollback-config';

/** The rollback plan of a service, or null when it has none (config). */
export type RollbackPlans = (service: string) => ServiceRollbackConfig | null;

/** Where rollback requests are shown (Slack); the app never formats messages itself. */
export interface RollbackMessenger {
  /** Posts the approval blocks; returns where, so they can be updated in place. */
  postApproval(request: RollbackRequest): Promise<SlackMessageRef[]>;
  /** Redraws the approval blocks from the stored request (coalesced, never more than ~1/s). */
  refresh(requestId: string): void;
  /** The rollback is verified: offer "System stabilized — resolve?". */
  stabilized(request: RollbackRequest): Promise<void>;
  /** A one-off line in the incident's channels (fallback announced, failure, unknown outcome, automatic rollback skipped). */
  notice(target: Pick<RollbackRequest, 'incidentId'>, text: Phrase): Promise<void>;
}

/** Tells the person who clicked (ephemeral, through the response_url). */
export interface ClickReplies {
  /** The text is a phrase: people in it are facts the adapter renders as mentions. */
  reply(replyTo: string, text: Phrase): Promise<void>;
}
