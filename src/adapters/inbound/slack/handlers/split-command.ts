import type { SplitDeps } from '../../../../app/storm/split-storm-child';
import { splitStormChildOut } from '../../../../app/storm/split-storm-child';
import type { ParsedCommand } from '../parse-command';
import { outcomeText, type CommandContext } from './slack-deps';

/**
 * `/incident split <alert name or group key> [id]`: one alert group out of a storm into its own
 * incident. Refusals (not a storm, no such group, already split) are answered to the person
 * only, and change nothing; a Slack retry of the same command does nothing.
 */
export function splitCommand(deps: SplitDeps) {
  return async (parsed: Extract<ParsedCommand, { kind: 'split' }>, ctx: CommandContext): Promise<void> => {
    const id = await ctx.target(parsed.id, '/incident split HighErrorRate INC-20261121-001');
    if (!id) return;
    const outcome = await ctx.once(() => splitStormChildOut(deps, { parentId: id, which: parsed.child, by: ctx.user }));
    if (!outcome) return;
    if (!outcome.ok) return ctx.reply(outcomeText(outcome, ''));
    await ctx.reply(
      outcomeText(
        { ok: true, notices: outcome.notices },
        `Split out of ${outcome.parent.id} into *${outcome.incident.id}* [${outcome.incident.severity}]: it has its own announcement now.`,
      ),
    );
  };
}
