import type { BlockAction, ButtonAction } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { randomUUID } from 'node:crypto';
import type { DurableDecisions } from '../../../../app/durable-decisions';
import type { DecisionIntent } from '../../../../app/ports/decision-intents';
import type { ProposeOutcome, RollbackProposals } from '../../../../app/rollback-proposals';
import { parseRollbackArgs } from '../../../../domain/rollback/parse-rollback-args';
import { requestPlaceholders } from '../../../../domain/rollback/rollback-request';
import { ACTIONS } from '../../../outbound/slack/ids';
import { rollbackApprovalView } from '../../../outbound/slack/views/rollback-approval-view';
import { DELIVERY_TTL_MS, outcomeText, type SlackDeps } from './slack-deps';
import type { SlackListeners } from '../slack-router';
import { slackText } from '../../../outbound/slack/views/slack-text';

export interface RollbackHandlerDeps {
  proposals: RollbackProposals;
  durable: DurableDecisions;
  serviceNames: string[];
}

type Respond = (text: string, blocks?: KnownBlock[]) => Promise<void>;

/**
 * `/incident rollback`, "Propose rollback", Approve / Reject / Abort / Stop and "System stabilized —
 * resolve?". Every listener acknowledges first; button values carry only an id and the stored
 * request decides what a click means. Answers go to the clicker only (ephemeral).
 */
export function registerRollbackHandlers(app: SlackListeners, deps: SlackDeps, rollback: RollbackHandlerDeps): void {
  deps.extensions.commands.rollback = async (parsed, ctx) => {
    const respond: Respond = async (text, blocks) =>
      void (await ctx.respond({ response_type: 'ephemeral', text, ...(blocks ? { blocks } : {}) }));
    const args = parseRollbackArgs(parsed.args, rollback.serviceNames);
    if (!args.ok) return respond(`:warning: ${slackText(args.reason)}`);
    const id = await ctx.target(parsed.id, '/incident rollback INC-20261121-001 [service] [release] [--dry-run]');
    if (!id) return;
    // A Slack retry of the same command proposes nothing twice.
    if (!args.args.dryRun && !(await deps.idempotency.claim(`command:${ctx.triggerId}`, DELIVERY_TTL_MS))) return;
    const outcome = await rollback.proposals.propose({
      incidentId: id,
      service: args.args.service,
      release: args.args.release,
      dryRun: args.args.dryRun,
      by: ctx.user,
    });
    await answerProposal(outcome, respond);
  };

  app.action<BlockAction<ButtonAction>>(ACTIONS.proposeRollback, async ({ ack, body, action, respond }) => {
    await ack();
    const reply: Respond = async (text) => void (await respond({ response_type: 'ephemeral', replace_original: false, text }));
    const outcome = await rollback.proposals.propose({
      incidentId: action.value ?? '',
      service: null,
      release: null,
      dryRun: false,
      by: body.user.id,
    });
    await answerProposal(outcome, reply);
  });

  // Stored before acknowledged (durable-decisions.ts); the message clicked on is checked against the request.
  const decision = (actionId: string, kind: DecisionIntent['kind']) => {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action }) => {
      const metadata = (body.message as { metadata?: { event_payload?: { request_id?: unknown } } } | undefined)?.metadata?.event_payload
        ?.request_id;
      const intent: DecisionIntent = {
        id: randomUUID(),
        requestId: action.value ?? '',
        kind,
        actor: body.user.id,
        origin: {
          channel: body.container?.channel_id ?? null,
          ts: body.container?.message_ts ?? null,
          metadataRequestId: typeof metadata === 'string' ? metadata : null,
        },
        replyTo: body.response_url ?? null,
        at: Date.now(),
      };
      await rollback.durable.take(intent, async () => void (await ack()));
    });
  };
  decision(ACTIONS.approveRollback, 'approve');
  decision(ACTIONS.rejectRollback, 'reject');
  decision(ACTIONS.abortRollback, 'abort');
  decision(ACTIONS.stopRollback, 'stop');

  app.action<BlockAction<ButtonAction>>(ACTIONS.resolveStabilized, async ({ ack, body, action, respond }) => {
    await ack();
    const id = action.value ?? '';
    const outcome = await deps.service.resolve(id, body.user.id, 'System stabilized after a verified rollback.');
    await respond({ response_type: 'ephemeral', replace_original: false, text: outcomeText(outcome, `${id} resolved.`) });
  });
}

async function answerProposal(outcome: ProposeOutcome, respond: Respond): Promise<void> {
  if (!outcome.ok) return respond(`:warning: ${slackText(outcome.reason)}`);
  const { request, incident, config } = outcome;
  if (outcome.dryRun) {
    const view = rollbackApprovalView({
      request,
      incident,
      plan: config.plan,
      approvers: config.approvers,
      placeholders: requestPlaceholders(request),
      now: request.requestedAt,
      dryRun: true,
    });
    return respond(view.text, view.blocks);
  }
  const readiness = request.readiness.passed ? 'readiness passed' : 'readiness FAILED (see the blocks)';
  await respond(
    `Rollback ${request.id} proposed for ${request.service} (${readiness}); ${request.approvalsNeeded} approval(s) needed. The approval blocks are in the incident channels.`,
  );
}
