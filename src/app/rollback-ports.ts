import type { ServiceRollbackConfig } from '../domain/rollback/service-rollback-config';
import type { ClickOrigin } from '../domain/rollback/click-origin';
import type { RollbackRequest, SlackMessageRef } from '../domain/rollback/rollback-request';
import type { Phrase } from '../domain/phrase';

/** The rollback plan of a service, or null when it has none. */
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

/** Members of a Slack user group, by user id. */
export interface UserGroupMembers {
  members(groupId: string): Promise<string[]>;
}

/** A Slack account as it stands now: deactivated, or a guest (single- or multi-channel). */
export interface UserAccount {
  deleted: boolean;
  guest: boolean;
}

/** Looks up an account at the moment of a decision (users.info). Errors propagate: the caller fails closed. */
export interface UserAccounts {
  account(userId: string): Promise<UserAccount>;
}

/** A rollback click, kept durably from before its acknowledgement until it is applied and told. */
export interface DecisionIntent {
  id: string;
  requestId: string;
  kind: 'approve' | 'reject' | 'abort' | 'stop';
  actor: string;
  origin: ClickOrigin;
  /** Where the person is answered (Slack's response_url, valid 30 min). */
  replyTo: string | null;
  at: number;
}

/** Durable intents. `record` also leases it to the caller; others take it only after the lease ran out. */
export interface DecisionIntentStore {
  record(intent: DecisionIntent, leaseMs: number): Promise<void>;
  /** Intents whose holder died (lease ran out), each leased to the caller now; at most `limit`. */
  takeAbandoned(leaseMs: number, limit: number): Promise<DecisionIntent[]>;
  done(id: string): Promise<void>;
}

/** Tells the person who clicked (ephemeral, through the response_url). */
export interface ClickReplies {
  /** The text is a phrase: people in it are facts the adapter renders as mentions. */
  reply(replyTo: string, text: Phrase): Promise<void>;
}

/** Reading a rollback request (the Redis request store implements it). */
export interface RollbackRequestReader {
  get(id: string): Promise<RollbackRequest | null>;
}
