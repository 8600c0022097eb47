import type { App, BlockAction, ButtonAction, ViewOutput } from '@slack/bolt';
import type { PaperTrailService } from '../../../../app/paper-trail/paper-trail-service';
import type { Incident } from '../../../../domain/incident';
import { ownerRef, parseActionItemLines } from '../../../../domain/paper-trail/parse-action-item';
import { reportPath } from '../../../../domain/paper-trail/report-path';
import type { StoredReportInput } from '../../../../app/ports/paper-trail-store';
import { ACTIONS, INPUTS, VIEWS } from '../../../outbound/slack/ids';
import type { IncidentPlacePoster } from '../../../outbound/slack/incident-place-poster';
import type { SlackChannelSetup } from '../../../outbound/slack/slack-channel-setup';
import { describeSlackError } from '../../../outbound/slack/slack-errors';
import { paperTrailSection } from '../../../outbound/slack/views/paper-trail-section';
import { reportModal } from '../../../outbound/slack/views/report-modal';
import { reportBlocks } from '../../../outbound/slack/views/report-blocks';
import { DELIVERY_TTL_MS, type SlackDeps } from './slack-deps';
import type { SlackListeners } from '../slack-router';
import { slackText } from '../../../outbound/slack/views/slack-text';
import { escapeMrkdwn } from '../../../outbound/slack/views/block-kit';
import { mayRead } from '../../../../domain/private-incident';

type Values = ViewOutput['state']['values'];

const value = (values: Values, input: { block: string; action: string }) => (values[input.block]?.[input.action]?.value ?? '').trim();
const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.replace(/^\s*[-*•]\s+/, '').trim())
    .filter(Boolean);

/**
 * The paper trail in Slack: `/incident report`, the Write report button and its form,
 * `/incident action`, and the gates / report / action items section of `/incident show`.
 */
export function registerPaperTrailHandlers(
  app: SlackListeners,
  deps: SlackDeps,
  paperTrail: PaperTrailService,
  poster: IncidentPlacePoster,
  channelSetup: Pick<SlackChannelSetup, 'bookmarkReport'>,
): void {
  const { service, config } = deps;
  const log = deps.log.child({ component: 'paper-trail-slack' });

  /** Opens the report form, or says why not. */
  const openReport = async (client: App['client'], triggerId: string, incidentId: string, user: string): Promise<string | null> => {
    const incident = await service.get(incidentId);
    if (!incident) return `:warning: No incident ${incidentId}.`;
    if (!mayRead(incident, user)) return `:lock: ${incidentId} is a private incident; its report is written by the people in it.`;
    if (incident.status === 'closed') return `:warning: ${incidentId} is closed; its report can no longer change.`;
    const [previous, items] = await Promise.all([paperTrail.storedReport(incidentId), paperTrail.actionItems(incidentId)]);
    try {
      await client.views.open({
        trigger_id: triggerId,
        view: reportModal({ incident, previous: previous?.input ?? null, actionItems: items }),
      });
      return null;
    } catch (error) {
      const failure = describeSlackError(error);
      log.warn({ method: 'views.open', error: failure.code }, 'could not open the report form');
      return `:warning: The report form could not open: ${failure.userMessage}.`;
    }
  };

  deps.extensions.commands.report = async (parsed, ctx) => {
    const id = await ctx.target(parsed.id, '/incident report INC-20261121-001');
    if (!id) return;
    const refusal = await openReport(ctx.client, ctx.triggerId, id, ctx.user);
    if (refusal) await ctx.reply(refusal);
  };

  deps.extensions.commands.action = async (parsed, ctx) => {
    const id = await ctx.target(parsed.id, '/incident action INC-20261121-001 "<text>" @owner 2026-12-01');
    if (!id) return;
    const outcome = await ctx.once(() => paperTrail.addActionItem(id, parsed.item, ctx.user));
    if (!outcome) return;
    if (!outcome.ok) return ctx.reply(`:warning: ${slackText(outcome.reason)}`);
    const { item } = outcome;
    const where = paperTrail.githubFor((await service.get(id)) ?? {})
      ? 'A follow-up issue labelled `incident-follow-up` is being created on GitHub.'
      : 'GitHub is not configured, so it is tracked in the report only.';
    if (!outcome.created)
      return ctx.reply(
        `${id} already has this action item (${slackText([ownerRef(item.owner)])}, due ${item.due ?? 'not set'}); nothing changed.`,
      );
    await ctx.reply(
      `Action item added to ${id}: ${escapeMrkdwn(item.text)} — ${slackText([ownerRef(item.owner)])}, due ${item.due ?? 'not set'}. ${where}`,
    );
  };

  deps.extensions.detailSections.push(async (incident: Incident) =>
    paperTrailSection(incident, await paperTrail.describe(incident), { enforced: config.gates.enforce }),
  );

  app.action<BlockAction<ButtonAction>>(ACTIONS.writeReport, async ({ ack, body, action, client, respond }) => {
    await ack();
    const refusal = await openReport(client, body.trigger_id, action.value ?? '', body.user.id);
    if (refusal) await respond({ response_type: 'ephemeral', replace_original: false, text: refusal });
  });

  app.view(VIEWS.report, async ({ ack, view, body, client }) => {
    const values = view.state.values;
    const errors: Record<string, string> = {};
    const answers: StoredReportInput = {
      rootCause: value(values, INPUTS.rootCause),
      impact: value(values, INPUTS.impact),
      resolution: value(values, INPUTS.resolution),
      wentWell: lines(value(values, INPUTS.wentWell)),
      couldImprove: lines(value(values, INPUTS.couldImprove)),
      prevention: value(values, INPUTS.prevention),
      ...(value(values, INPUTS.usersAffected) ? { usersAffected: value(values, INPUTS.usersAffected) } : {}),
      ...(value(values, INPUTS.sloImpact) ? { sloImpact: value(values, INPUTS.sloImpact) } : {}),
    };
    if (!answers.rootCause) errors[INPUTS.rootCause.block] = 'Say what caused it (write "unknown, under investigation" if so).';
    if (!answers.impact) errors[INPUTS.impact.block] = 'Say who or what was affected, and how.';
    if (!answers.resolution) errors[INPUTS.resolution.block] = 'Say what was done to resolve it.';
    const items = parseActionItemLines(value(values, INPUTS.actionItems));
    if (items.errors.length) errors[INPUTS.actionItems.block] = items.errors.join(' ').slice(0, 1900);
    if (Object.keys(errors).length) return void (await ack({ response_action: 'errors', errors }));
    await ack();

    let incidentId = '';
    try {
      incidentId = (JSON.parse(view.private_metadata || '{}') as { incidentId?: string }).incidentId ?? '';
    } catch {
      incidentId = '';
    }
    if (!incidentId || !(await deps.idempotency.claim(`view:${view.id}`, DELIVERY_TTL_MS))) return;
    const user = body.user.id;
    const written = await paperTrail.writeReport(incidentId, answers, items.items, user);
    const tellChannel = async (incident: Incident | null, text: string) => {
      const channel = incident?.channel?.id ?? incident?.announcement?.channel ?? config.channels.incident_response;
      try {
        await client.chat.postEphemeral({ channel, user, text });
      } catch (error) {
        log.debug({ err: error }, 'could not send the ephemeral confirmation');
      }
    };
    if (!written.ok) return tellChannel(await service.get(incidentId), `:warning: ${slackText(written.reason)}`);
    const onGitHub = paperTrail.githubFor(written.incident);
    const issue = written.incident.github;
    const fullReport = onGitHub
      ? `${issue ? `<${issue.url}|GitHub issue #${issue.issueNumber}>, ` : ''}committed at \`${reportPath(incidentId)}\``
      : `the Markdown is in the evidence bundle (\`GET /api/incidents/${incidentId}/evidence\`)`;
    const report = await poster.postBlocks(
      written.incident,
      reportBlocks({ document: written.document, revision: written.revision, writtenBy: user, fullReport }),
    );
    // The channel's "Incident report" bookmark follows the new message; it never throws, and the
    // confirmation below then reports a finished job.
    if (report.posted) await channelSetup.bookmarkReport(written.incident, report.posted);
    const github = onGitHub ? ` It is being committed to GitHub at \`${reportPath(incidentId)}\` and linked from the incident issue.` : '';
    const slack = report.error ? ` Posting it here failed: ${report.error}; it is saved, and submitting the form again posts it.` : '';
    await tellChannel(
      written.incident,
      `Report for ${incidentId} saved (revision ${written.revision}).${github}${slack} ${written.notices.join(' ')}`.trim(),
    );
  });
}
