import type { App, RespondFn } from '@slack/bolt';
import type { IncidentService } from '../../../../app/incident-service';
import type { Incident } from '../../../../domain/incident';
import type { Config } from '../../../../config/load-config';
import type { Logger } from '../../../../logger';
import type { RedisIdempotency } from '../../../outbound/redis/redis-idempotency';
import type { ParsedCommand } from '../parse-command';
import type { SlackIncidentPublisher } from '../../../outbound/slack/slack-incident-publisher';
import type { KnownBlock } from '@slack/types';
import type { Phrase } from '../../../../domain/phrase';
import { slackText } from '../../../outbound/slack/views/slack-text';

/** What a feature's subcommand handler gets: the person, where they typed, and how to answer. */
export interface CommandContext {
  user: string;
  channelId: string;
  triggerId: string;
  client: App['client'];
  reply(text: string): Promise<void>;
  respond: RespondFn;
  /** The incident named or implied by the channel; null after telling the person how to name it. */
  target(id: string | null, usage: string): Promise<string | null>;
  /** Runs a change once per delivery: a Slack retry of the same command does nothing. */
  once<T>(fn: () => Promise<T>): Promise<T | null>;
}

type FeatureCommandKind = 'report' | 'action' | 'rollback' | 'drill';
export type FeatureCommandHandlers = {
  [K in FeatureCommandKind]?: (parsed: Extract<ParsedCommand, { kind: K }>, ctx: CommandContext) => Promise<void>;
};

/**
 * Where features plug into the core Slack surface: subcommands they answer, and sections
 * they add to `/incident show`. Filled in by Feature.install(), read at request time.
 */
export interface SlackExtensions {
  commands: FeatureCommandHandlers;
  detailSections: ((incident: Incident) => Promise<KnownBlock[]>)[];
}

export function createSlackExtensions(): SlackExtensions {
  return { commands: {}, detailSections: [] };
}

/** What the Slack listeners need; built once in the composition root. */
export interface SlackDeps {
  service: IncidentService;
  publisher: SlackIncidentPublisher;
  idempotency: RedisIdempotency;
  config: Config;
  log: Logger;
  extensions: SlackExtensions;
}

/** Idempotency records for Slack deliveries live a day: longer than any Slack retry window. */
export const DELIVERY_TTL_MS = 86_400_000;

/** The refusal or notices of an outcome as one line for the person who acted. */
export function outcomeText(outcome: { ok: boolean; reason?: Phrase; notices?: string[] }, success: string): string {
  if (!outcome.ok) return `:warning: ${slackText(outcome.reason ?? '')}`;
  return [success, ...(outcome.notices ?? [])].join(' ');
}

/**
 * The incident a command refers to: the id given, or the incident whose channel this is.
 * Returns a message telling the person how to name it otherwise.
 */
export async function resolveIncidentId(
  deps: SlackDeps,
  given: string | null,
  channelId: string | undefined,
  usage: string,
): Promise<{ id: string } | { error: string }> {
  if (given) return { id: given };
  const implied = channelId ? await deps.service.store.incidentForChannel(channelId) : null;
  if (implied) return { id: implied };
  return { error: `Which incident? Run this in the incident's channel or give its id: \`${usage}\`.` };
}
