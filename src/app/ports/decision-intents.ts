import type { ClickOrigin } from '../../domain/rollback/click-origin';

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

/** Durable intents (RedisDecisionIntents). `record` also leases it to the caller; others take it only after the lease ran out. */
export interface DecisionIntentStore {
  record(intent: DecisionIntent, leaseMs: number): Promise<void>;
  /** Intents whose holder died (lease ran out), each leased to the caller now; at most `limit`. */
  takeAbandoned(leaseMs: number, limit: number): Promise<DecisionIntent[]>;
  done(id: string): Promise<void>;
}
