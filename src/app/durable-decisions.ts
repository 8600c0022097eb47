import { joinPhrases, type Phrase } from '../domain/phrase';
import { decisionApplied } from '../domain/rollback/decision-applied';
import { describeState } from '../domain/rollback/rollback-request';
import type { Logger } from '../logger';
import type { DecisionOutcome, RollbackDecisions } from './rollback-decisions';
import type { ClickReplies } from './ports/rollback-messenger';
import type { DecisionIntent, DecisionIntentStore } from './ports/decision-intents';
import type { RollbackRequestReader } from './ports/rollback-requests';

// Slack wants an answer within 3 s; what is not applied by then is applied after the ack and told.
const ACK_BUDGET_MS = 2_000;
// A holder that has not finished an intent in this time is taken to be dead.
export const INTENT_LEASE_MS = 8_000;
const SWEEP_BATCH = 50;

/**
 * Approve, Reject, Abort and Stop clicks are durable before they are acknowledged: the intent is
 * stored first (one Redis write), then applied; the acknowledgement goes out when it is applied
 * or after ACK_BUDGET_MS, whichever comes first, and the person is told the outcome when it is
 * known. An intent whose process died (before or after the ack) is found by any replica once
 * its lease runs out, applied (or recognised as applied), and told, then deleted.
 */
export class DurableDecisions {
  constructor(
    private readonly intents: DecisionIntentStore,
    private readonly decisions: RollbackDecisions,
    private readonly requests: RollbackRequestReader,
    private readonly replies: ClickReplies,
    private readonly log: Logger,
  ) {}

  async take(intent: DecisionIntent, ack: () => Promise<void>): Promise<void> {
    try {
      await this.intents.record(intent, INTENT_LEASE_MS);
    } catch (error) {
      this.log.warn(
        { err: error, request: intent.requestId, kind: intent.kind },
        'rollback click not recorded; the person is told to click again',
      );
      await ack();
      return this.tell(
        intent,
        `:warning: Your ${intent.kind} of ${intent.requestId} was not recorded (the store did not answer); nothing changed. Click again in a moment.`,
      );
    }
    const applying = this.apply(intent);
    let slow = false;
    const timer = new Promise<void>((resolve) =>
      setTimeout(() => {
        slow = true;
        resolve();
      }, ACK_BUDGET_MS).unref(),
    );
    await Promise.race([
      applying.then(
        () => undefined,
        () => undefined,
      ),
      timer,
    ]);
    await ack();
    const outcome = await applying;
    await this.finish(intent, outcome, slow ? ' (applied after the acknowledgement)' : '');
  }

  /** Intents left by a process that died; run at start and periodically on every replica. */
  async sweep(): Promise<number> {
    const abandoned = await this.intents.takeAbandoned(INTENT_LEASE_MS, SWEEP_BATCH);
    for (const intent of abandoned) {
      const request = await this.requests.get(intent.requestId);
      const outcome: DecisionOutcome =
        request && decisionApplied(request, intent.kind, intent.actor)
          ? { ok: true, request, message: `Recorded. ${describeState(request)}` }
          : await this.apply(intent);
      this.log.info(
        { request: intent.requestId, kind: intent.kind, actor: intent.actor, ok: outcome.ok },
        'rollback click applied after its process stopped',
      );
      await this.finish(intent, outcome, ' (applied after the bot restarted)');
    }
    return abandoned.length;
  }

  private apply(intent: DecisionIntent): Promise<DecisionOutcome> {
    const decided =
      intent.kind === 'stop'
        ? this.decisions.stop(intent.requestId, intent.actor, intent.origin)
        : this.decisions.decide(intent.requestId, intent.kind, intent.actor, intent.origin);
    return decided.catch((error: unknown) => {
      this.log.error({ err: error, request: intent.requestId, kind: intent.kind }, 'rollback decision failed');
      return {
        ok: false as const,
        code: 'internal',
        reason: 'Something went wrong on our side; nothing ran twice. Try again, or check the bot logs.',
      };
    });
  }

  private async finish(intent: DecisionIntent, outcome: DecisionOutcome, note: string): Promise<void> {
    await this.tell(intent, outcome.ok ? joinPhrases([outcome.message, note], '') : joinPhrases([':warning: ', outcome.reason, note], ''));
    // Deleted only once told; a crash before this tells again rather than never.
    await this.intents
      .done(intent.id)
      .catch((error: unknown) =>
        this.log.warn({ err: error, intent: intent.id }, 'could not delete an applied intent; it will be told again'),
      );
  }

  private async tell(intent: DecisionIntent, text: Phrase): Promise<void> {
    if (!intent.replyTo) return;
    await this.replies
      .reply(intent.replyTo, text)
      .catch((error: unknown) =>
        this.log.warn({ err: (error as Error).message, request: intent.requestId }, 'could not tell the person the outcome of their click'),
      );
  }
}
