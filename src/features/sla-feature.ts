import { readFileSync } from 'node:fs';
import { PagerDutyPager } from '../adapters/outbound/pagerduty/pagerduty-pager';
import { registerSlaActions } from '../adapters/inbound/slack/handlers/sla-actions';
import { SlackAccountsByEmail } from '../adapters/outbound/slack/slack-accounts-by-email';
import { SlackSlaNotifier } from '../adapters/outbound/slack/slack-sla-notifier';
import { runOnce } from '../adapters/outbound/timers/run-once';
import { PagerDutySync } from '../app/sla/pagerduty-sync';
import type { RunEffectOnce } from '../app/ports/run-once';
import { SlaPlanner } from '../app/sla/sla-planner';
import { slaTimerHandlers } from '../app/sla/sla-timer-handlers';
import type { Config } from '../config/load-config';
import type { Logger } from '../logger';
import type { CoreContext, Feature } from './feature';

// Effects are remembered as long as fired timers are (the engine's 30-day tombstones).
const EFFECT_TTL_MS = 30 * 86_400_000;
// A runner that died mid-effect blocks a retry this long; kept above a slow Slack call (10 s timeout, 2 retries).
const EFFECT_CLAIM_MS = 15_000;

function createPager(config: Config, log: Logger): PagerDutyPager | null {
  const { env } = config;
  if (!config.sla.pagerDuty.enabled || (!env.PAGERDUTY_ROUTING_KEY && !env.PAGERDUTY_TOKEN)) return null;
  let ca: string | undefined;
  if (env.PAGERDUTY_CA_FILE) {
    try {
      ca = readFileSync(env.PAGERDUTY_CA_FILE, 'utf8');
    } catch (error) {
      throw new Error(`PAGERDUTY_CA_FILE (${env.PAGERDUTY_CA_FILE}) cannot be read: ${(error as Error).message}`);
    }
  }
  return new PagerDutyPager({
    ...(env.PAGERDUTY_ROUTING_KEY ? { routingKey: env.PAGERDUTY_ROUTING_KEY } : {}),
    ...(env.PAGERDUTY_TOKEN ? { token: env.PAGERDUTY_TOKEN } : {}),
    eventsUrl: env.PAGERDUTY_EVENTS_URL,
    apiUrl: env.PAGERDUTY_API_URL,
    ...(ca ? { ca } : {}),
    logger: log,
  });
}

/**
 * SLA clocks: timers planned from every incident change, reminders, breaches and
 * escalations when they fire, PagerDuty paging and on-call, the Close button at the end of
 * monitoring. See docs/sla.md.
 */
export function slaFeature(core: CoreContext): Feature {
  const { config, clock, log: root, metrics, redis, store, idempotency, service, timers } = core;
  const log = root.child({ component: 'sla' });
  const once: RunEffectOnce = async (key, fn, alreadyHappened) => {
    const result = await runOnce(redis, config.env.REDIS_PREFIX, key, EFFECT_TTL_MS, fn, {
      claimMs: EFFECT_CLAIM_MS,
      waitMs: EFFECT_CLAIM_MS + 1_000,
      ...(alreadyHappened ? { alreadyHappened } : {}),
    });
    // Another replica is doing it, or died doing it: the timer comes back after backoff and finds it done (or free).
    if (result.outcome === 'in_progress') throw new Error(`effect ${key} is in progress elsewhere`);
    return result.outcome === 'ran';
  };

  const planner = new SlaPlanner({ store, timers, policy: config.slaPolicy, options: config.sla.planOptions, clock, log });
  const notifier = new SlackSlaNotifier({ store, incidentChannel: config.channels.incident_response, metrics, log });
  const pager = createPager(config, root);
  const pagerDuty = new PagerDutySync({
    pager,
    canPage: Boolean(pager && config.env.PAGERDUTY_ROUTING_KEY),
    canLookUp: Boolean(pager && config.env.PAGERDUTY_TOKEN),
    settings: config.sla,
    store,
    timers,
    marks: idempotency,
    once,
    clock,
    metrics,
    log: log.child({ component: 'pagerduty-sync' }),
    refresh: (id) => notifier.refresh(id),
  });
  service.observe(planner);
  service.observe(pagerDuty);

  return {
    name: 'sla',
    timerHandlers: {
      ...slaTimerHandlers({
        store,
        clock,
        policy: config.slaPolicy,
        settings: config.sla,
        planner,
        notifier,
        pagerDuty,
        once,
        metrics,
        log,
      }),
      ...pagerDuty.handlers(),
    },
    install({ app, publisher, channelSetup, deps }) {
      notifier.attach(app.client, publisher);
      if (config.sla.pagerDuty.inviteOnCall)
        pagerDuty.attachChat({
          accounts: new SlackAccountsByEmail(app.client, log.child({ component: 'slack-accounts-by-email' }), metrics),
          invites: channelSetup,
        });
      registerSlaActions(app, deps);
    },
    async start() {
      // Planning a crash interrupted is redone in the background; the engine starts right away.
      planner.replanAll().then(
        (n) => log.info({ incidents: n }, 'SLA timers checked at start'),
        (error: unknown) => log.warn({ err: error }, 'SLA re-plan at start failed; timers are re-planned on the next change'),
      );
    },
  };
}
