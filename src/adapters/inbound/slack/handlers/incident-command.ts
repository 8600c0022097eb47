import type { App, RespondFn, SlashCommand } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { isOpenStatus } from '../../../../domain/lifecycle';
import { ROLE_GUIDE } from '../../../../domain/roles';
import { COMMAND } from '../../../outbound/slack/ids';
import { parseIncidentCommand, type ParsedCommand } from '../parse-command';
import { HELP_TEXT } from '../../../outbound/slack/views/help-text';
import { incidentDetailBlocks, SHOW_TIMELINE_ENTRIES } from '../../../outbound/slack/views/incident-detail-view';
import { incidentListBlocks, LIST_PAGE_SIZE } from '../../../outbound/slack/views/incident-list-view';
import { openIncidentModal, resolveModal, updateModal } from '../../../outbound/slack/views/modals';
import { DELIVERY_TTL_MS, outcomeText, resolveIncidentId, type CommandContext, type SlackDeps } from './slack-deps';
import type { SlackListeners } from '../slack-router';
import { parseSlackText } from '../parse-slack-text';
import { describeHandlerError } from '../handler-errors';
import type { Phrase } from '../../../../domain/phrase';
import { escapeMrkdwn } from '../../../outbound/slack/views/block-kit';
import { mayRead, seenBy } from '../../../../domain/private-incident';

type Reply = (text: string) => Promise<void>;
type Answer = { response_type: 'ephemeral'; text: string; blocks?: KnownBlock[] };

// Reads (`list`, `show`) are answered in the acknowledgement itself when Redis answers within
// this budget, well inside Slack's 3 s; otherwise the ack goes out empty and the answer follows
// through response_url.
const READ_ANSWER_BUDGET_MS = 1_500;

/**
 * `/incident <subcommand>`. Changes are acknowledged before any Redis or Slack call (Slack's
 * 3-second rule) and answered to the person only (ephemeral) through response_url; reads are
 * answered in the acknowledgement when they are quick, which saves Slack a round trip.
 */
export function registerIncidentCommand(app: SlackListeners, deps: SlackDeps): void {
  app.command(COMMAND, async ({ command, ack, respond, client }) => {
    const parsed = parseIncidentCommand(command.text ?? '');
    if (parsed.kind === 'error') return void (await ack({ response_type: 'ephemeral', text: `:warning: ${parsed.message}` }));
    if (parsed.kind === 'help') return void (await ack({ response_type: 'ephemeral', text: HELP_TEXT }));
    const log = deps.log.child({ component: 'slack-command', subcommand: parsed.kind });
    if (parsed.kind === 'list' || parsed.kind === 'show') {
      // Answered in the acknowledgement when quick; a failure is answered like any other.
      const answer = readAnswer(parsed, command, deps).catch((error: unknown): Answer => {
        const failure = describeHandlerError(error, deps.config.channels.incident_response);
        if (failure.code === 'store.unavailable') log.warn({ err: error, code: failure.code }, 'Slack listener failed');
        else log.error({ err: error, code: failure.code }, 'Slack listener failed');
        return { response_type: 'ephemeral', text: failure.userMessage };
      });
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), READ_ANSWER_BUDGET_MS)));
      const quick = await Promise.race([answer, late]);
      clearTimeout(timer);
      if (quick) return void (await ack(quick));
      await ack();
      return void (await respond(await answer));
    }
    await ack();
    const reply: Reply = async (text) => void (await respond({ response_type: 'ephemeral', text }));
    // A throw here ends in the router's one error path (slack-router.ts).
    await run(parsed, command, deps, client, reply, respond);
  });
}

/**
 * What the person is told when a command failed on our side. Redis down is the one failure
 * with something to do meanwhile: declare by hand. It is logged once per outage, not here.
 */

/** The answer to a read-only subcommand, as a message; reads nothing but Redis. */
async function readAnswer(
  parsed: Extract<ParsedCommand, { kind: 'list' | 'show' }>,
  command: SlashCommand,
  deps: SlackDeps,
): Promise<Answer> {
  const { service } = deps;
  if (parsed.kind === 'list') {
    // One page and the count: the answer costs the same with 10 or 10,000 open.
    const { incidents, total } = await service.openPage(LIST_PAGE_SIZE);
    return {
      response_type: 'ephemeral',
      text: `${total} open incident(s)`,
      blocks: incidentListBlocks(
        // A private incident shows as one to people outside it: no title, no summary.
        incidents.map((incident) => ({ incident: seenBy(incident, command.user_id), sla: service.sla(incident) })),
        service.now(),
        total,
      ),
    };
  }
  const resolved = await resolveIncidentId(deps, parsed.id, command.channel_id, '/incident show INC-20261121-001');
  if ('error' in resolved) return { response_type: 'ephemeral', text: `:warning: ${resolved.error}` };
  const incident = await service.get(resolved.id);
  if (!incident)
    return { response_type: 'ephemeral', text: `:warning: No incident ${resolved.id}. \`/incident list\` shows the open ones.` };
  if (!mayRead(incident, command.user_id)) {
    const commander = incident.commander ? `its commander <@${incident.commander}>` : 'the person who opened it';
    return {
      response_type: 'ephemeral',
      text: `:lock: ${incident.id} is a private incident; its detail is in its private channel. Ask ${commander} to add you.`,
    };
  }
  const timeline = await service.timelineTail(incident.id, SHOW_TIMELINE_ENTRIES);
  const sections = (await Promise.all(deps.extensions.detailSections.map((section) => section(incident)))).flat();
  return {
    response_type: 'ephemeral',
    text: `${incident.id} ${incident.title}`,
    blocks: incidentDetailBlocks(incident, service.sla(incident), timeline, service.now(), sections),
  };
}

async function run(
  parsed: Exclude<ParsedCommand, { kind: 'error' | 'help' | 'list' | 'show' }>,
  command: SlashCommand,
  deps: SlackDeps,
  client: App['client'],
  reply: Reply,
  respond: RespondFn,
): Promise<void> {
  const { service, config } = deps;
  const user = command.user_id;
  const target = async (id: string | null, usage: string) => {
    const resolved = await resolveIncidentId(deps, id, command.channel_id, usage);
    if ('error' in resolved) {
      await reply(`:warning: ${resolved.error}`);
      return null;
    }
    return resolved.id;
  };

  switch (parsed.kind) {
    case 'open': {
      if (parsed.severity === null) {
        await client.views.open({
          trigger_id: command.trigger_id,
          view: openIncidentModal({
            title: parsed.title,
            severities: config.severities,
            services: config.services,
            createChannelDefault: config.channels.create_incident_channel,
            originChannel: command.channel_id,
            private: parsed.private,
          }),
        });
        return;
      }
      // A retried delivery carries the same trigger_id: it finds the first incident instead of making another.
      const opened = await service.open(
        {
          title: parsed.title,
          severity: parsed.severity,
          openedBy: user,
          source: 'slack',
          ...(parsed.private ? { private: { members: [] } } : {}),
        },
        // A private incident's detail has nowhere else to go: it always gets its channel.
        { idempotencyKey: `command:${command.trigger_id}`, ...(parsed.private ? { createChannel: true } : {}) },
      );
      if (!opened.created) return;
      const kind = parsed.private ? ' private incident' : '';
      await reply(
        [
          `Opened${kind} *${opened.incident.id}* [${opened.incident.severity}] ${escapeMrkdwn(opened.incident.title)}.`,
          ...opened.notices,
        ].join(' '),
      );
      return;
    }
    case 'update': {
      const id = await target(parsed.id, '/incident update INC-20261121-001 identified <text>');
      if (!id) return;
      if (!parsed.text) {
        const incident = await service.get(id);
        if (!incident) return reply(`:warning: No incident ${id}.`);
        if (!isOpenStatus(incident.status) && incident.status !== 'resolved')
          return reply(`:warning: ${id} is ${incident.status}; closed incidents take no updates.`);
        await client.views.open({ trigger_id: command.trigger_id, view: updateModal(seenBy(incident, user)) });
        return;
      }
      const outcome = await onceFor(deps, command, () =>
        service.postUpdate(id, { status: parsed.status, text: parseSlackText(parsed.text), by: user }),
      );
      if (outcome) await reply(outcomeText(outcome, `Update posted for ${id}.`));
      return;
    }
    case 'severity': {
      const id = await target(parsed.id, '/incident severity INC-20261121-001 P1');
      if (!id) return;
      const outcome = await onceFor(deps, command, () => service.changeSeverity(id, parsed.severity, user));
      if (outcome) await reply(outcomeText(outcome, `${id} is now ${parsed.severity}.`));
      return;
    }
    case 'confirm_severity': {
      const id = await target(parsed.id, '/incident severity INC-20261121-001 confirm');
      if (!id) return;
      const outcome = await onceFor(deps, command, () => service.confirmSeverity(id, user));
      if (outcome) await reply(outcomeText(outcome, `Severity of ${id} confirmed.`));
      return;
    }
    case 'commander': {
      const id = await target(parsed.id, '/incident commander INC-20261121-001 @person');
      if (!id) return;
      const outcome = await onceFor(deps, command, () => service.assignCommander(id, parsed.user, user));
      if (outcome) await reply(outcomeText(outcome, `<@${parsed.user}> is now the commander of ${id}.`));
      return;
    }
    case 'role': {
      const id = await target(parsed.id, '/incident role ops INC-20261121-001 @person');
      if (!id) return;
      const outcome = await onceFor(deps, command, () => service.assignRole(id, parsed.role, parsed.user, user));
      if (outcome)
        await reply(
          outcomeText(
            outcome,
            `<@${parsed.user}> is now the ${ROLE_GUIDE[parsed.role].label.toLowerCase()} of ${id}; they have been sent what the role means.`,
          ),
        );
      return;
    }
    case 'note': {
      const id = await target(parsed.id, '/incident note INC-20261121-001 <text>');
      if (!id) return;
      const outcome = await onceFor(deps, command, () => service.addNote(id, parseSlackText(parsed.text), user));
      if (outcome) await reply(outcomeText(outcome, `Note added to ${id}.`));
      return;
    }
    case 'resolve': {
      const id = await target(parsed.id, '/incident resolve INC-20261121-001 <summary>');
      if (!id) return;
      if (parsed.override !== undefined) {
        const overridden = await onceFor(deps, command, () =>
          service.resolve(id, user, personText(parsed.summary), { override: parsed.override }),
        );
        if (overridden)
          await reply(outcomeText(overridden, `${id} resolved (recovery validation overridden: recorded in the decision log).`));
        return;
      }
      if (!parsed.summary) {
        const incident = await service.get(id);
        if (!incident) return reply(`:warning: No incident ${id}.`);
        if (!isOpenStatus(incident.status)) return reply(`:warning: ${id} is already ${incident.status}.`);
        await client.views.open({ trigger_id: command.trigger_id, view: resolveModal(seenBy(incident, user)) });
        return;
      }
      const outcome = await onceFor(deps, command, () => service.resolve(id, user, personText(parsed.summary)));
      if (outcome) await reply(outcomeText(outcome, `${id} resolved.`));
      return;
    }
    case 'reopen': {
      const id = await target(parsed.id, '/incident reopen INC-20261121-001');
      if (!id) return;
      const outcome = await onceFor(deps, command, () => service.reopen(id, user));
      if (outcome) await reply(outcomeText(outcome, `${id} reopened.`));
      return;
    }
    case 'close': {
      const id = await target(parsed.id, '/incident close INC-20261121-001');
      if (!id) return;
      const outcome = await onceFor(deps, command, () => service.close(id, user));
      if (outcome) await reply(outcomeText(outcome, `${id} closed.`));
      return;
    }
    case 'report':
    case 'action':
    case 'rollback':
    case 'drill':
    case 'split':
    case 'watch': {
      const handler = deps.extensions.commands[parsed.kind] as ((p: typeof parsed, ctx: CommandContext) => Promise<void>) | undefined;
      if (!handler) return reply(`:construction: \`/incident ${parsed.kind}\` is not available in this installation.`);
      await handler(parsed, {
        user,
        channelId: command.channel_id,
        triggerId: command.trigger_id,
        client,
        reply,
        respond,
        target,
        once: (fn) => onceFor(deps, command, fn),
      });
      return;
    }
  }
}

/** Runs a command's change once per delivery: a Slack retry of the same command is dropped. */
async function onceFor<T>(deps: SlackDeps, command: SlashCommand, fn: () => Promise<T>): Promise<T | null> {
  const key = `command:${command.trigger_id}`;
  if (!(await deps.idempotency.claim(key, DELIVERY_TTL_MS))) return null;
  try {
    return await fn();
  } catch (error) {
    await deps.idempotency.release(key); // nothing was stored, so a retry may try again
    throw error;
  }
}

/** What a person typed after the subcommand: their mentions and links kept (see parseSlackText). */
function personText(text: string | undefined): Phrase | undefined {
  return text === undefined ? undefined : parseSlackText(text);
}
