import { slackText } from '../adapters/outbound/slack/views/slack-text';
import { RedisActiveDrill } from '../adapters/outbound/redis/redis-active-drill';
import { YamlDrillScenarios } from '../adapters/outbound/files/yaml-drill-scenarios';
import { SlackDrillReporter } from '../adapters/outbound/slack/slack-drill-reporter';
import type { AlertIntake } from '../app/alert-intake';
import { DRILL_TIMERS, DrillPlayer } from '../app/drills/drill-player';
import type { RollbackPlans } from '../app/ports/rollback-messenger';
import type { Config } from '../config/load-config';
import { drillRollbackConfig, scenarioOfDrillService } from '../domain/drills/drill-plan';
import type { CoreContext, Feature } from './feature';

/**
 * The rollback plans of drill incidents: their service is `drill-<scenario>`, and the plan
 * simulates the scenario's runners (nothing real is rolled back). Approvers are the
 * scenario's or the rehearsed service's, so the guardrails are the real ones.
 */
export function drillRollbackPlans(config: Config, scenarios = new YamlDrillScenarios(config.drills.scenarios)): RollbackPlans {
  return (service) => {
    const name = scenarioOfDrillService(service);
    if (!name || !config.drills.enabled) return null;
    const loaded = scenarios.loadSync(name);
    if (!loaded.ok) return null;
    const { scenario } = loaded;
    const real = config.services.find((s) => s.name === scenario.service)?.rollback?.approvers ?? null;
    return drillRollbackConfig(scenario, scenario.speed ?? config.drills.speed, process.execPath, real);
  };
}

/** Drills: `/incident drill <scenario>` plays a rehearsal through the real intake and ends with a scorecard. */
export function drillsFeature(core: CoreContext, intake: AlertIntake): Feature & { player: DrillPlayer } {
  const { config, redis, timers, service, clock, log } = core;
  const player = new DrillPlayer({
    settings: { enabled: config.drills.enabled, speed: config.drills.speed, scenariosDir: config.drills.scenarios },
    scenarios: new YamlDrillScenarios(config.drills.scenarios),
    active: new RedisActiveDrill(redis, config.env.REDIS_PREFIX),
    timers,
    intake,
    service,
    policy: config.slaPolicy,
    clock,
    log: log.child({ component: 'drills' }),
  });
  service.observe(player);
  return {
    name: 'drills',
    player,
    timerHandlers: { [DRILL_TIMERS.step]: player.playStep },
    install({ app, deps }) {
      player.attach(new SlackDrillReporter(app.client));
      deps.extensions.commands.drill = async (parsed, ctx) => {
        if (parsed.action === 'list') {
          const names = await player.names();
          const state = config.drills.enabled ? '' : ' Drills are off here: set `drills.enabled: true` in the config to run them.';
          return ctx.reply(
            names.length
              ? `Drill scenarios: ${names.map((n) => `\`${n}\``).join(', ')}. Start one with \`/incident drill <scenario>\`.${state}`
              : `No drill scenarios in ${config.drills.scenarios}.${state}`,
          );
        }
        const outcome = await ctx.once(() => (parsed.action === 'stop' ? player.stop(ctx.user) : player.start(parsed.scenario, ctx.user)));
        if (!outcome) return;
        if (!outcome.ok) return ctx.reply(`:warning: ${slackText(outcome.reason)}`);
        const { run } = outcome;
        if (parsed.action === 'stop')
          return ctx.reply(
            `Drill \`${run.scenario.name}\` stopped: no further alerts will play.${run.incidentId ? ` ${run.incidentId} stays open until someone resolves it.` : ''}`,
          );
        const speed = run.speed > 1 ? ` at ${run.speed}× speed` : '';
        await ctx.reply(
          `DRILL \`${run.scenario.name}\` started${speed}: ${run.scenario.title}. Its alerts arrive in #${config.channels.incident_response.replace(/^#/, '')} marked DRILL; respond as you would for real. ${run.scenario.page ? 'This drill pages on-call.' : 'Nobody is paged.'}`,
        );
      };
    },
  };
}
