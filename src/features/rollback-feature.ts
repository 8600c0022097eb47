import { configuredSecrets } from '../config/configured-secrets';
import type { Incident } from '../domain/incident';
import { isOpenStatus } from '../domain/lifecycle';
import { CheckRunner } from '../adapters/outbound/runners/check-runner';
import { createOctokit } from '../adapters/outbound/github/create-octokit';
import { createRollbackRunner } from '../adapters/outbound/runners/create-rollback-runner';
import { RedisRollbackRequests } from '../adapters/outbound/redis/redis-rollback-requests';
import { registerRollbackHandlers } from '../adapters/inbound/slack/handlers/rollback-handlers';
import { ACTIONS } from '../adapters/outbound/slack/ids';
import { SlackRollbackMessenger } from '../adapters/outbound/slack/slack-rollback-messenger';
import { SlackUserAccounts } from '../adapters/outbound/slack/slack-user-accounts';
import { SlackUserGroups } from '../adapters/outbound/slack/slack-user-groups';
import type { IncidentObserver } from '../app/ports/incident-observer';
import { ApproverDirectory } from '../app/rollback-approvers';
import { RollbackDecisions } from '../app/rollback-decisions';
import { DurableDecisions } from '../app/durable-decisions';
import { RedisDecisionIntents } from '../adapters/outbound/redis/redis-decision-intents';
import { SlackResponseUrl } from '../adapters/outbound/slack/slack-response-url';
import { ROLLBACK_TIMERS, type RollbackDeps } from '../app/rollback-deps';
import { RollbackExecution } from '../app/rollback-execution';
import type { RollbackMessenger, RollbackPlans } from '../app/ports/rollback-messenger';
import { RollbackProposals } from '../app/rollback-proposals';
import type { TimelineEventInput } from '../domain/timeline';
import type { CoreContext, Feature } from './feature';
import { approvalFactsChanged } from '../domain/rollback/approval-facts-changed';
import type { Ref } from '../domain/phrase';

// How often each replica looks for clicks whose process died before applying or telling them.
const INTENT_SWEEP_MS = 3_000;

export interface RollbackFeature extends Feature {
  requests: RedisRollbackRequests;
  /** Called with the pid whenever a rollback script starts (the approval→start benchmark). */
  onRunnerStarted(listener: (pid: number) => void): () => void;
}

/**
 * Approve, then roll back: proposals with readiness checks, approval guardrails,
 * an exactly-once execution as a timer job, verification, fallbacks, automatic rollback
 * with an abortable countdown, and crash safety (a run cut short is `unknown`, never re-run).
 */
export function rollbackFeature(core: CoreContext): RollbackFeature {
  const { config, redis, log, clock, metrics, service, timers, rollbackRecords } = core;
  const byName = new Map(config.services.filter((s) => s.rollback).map((s) => [s.name, s]));
  // A drill incident's service names its scenario, whose plan only simulates runners.
  const plans: RollbackPlans = (name) => byName.get(name)?.rollback ?? core.drillPlans?.(name) ?? null;
  const requests = new RedisRollbackRequests(redis, config.env.REDIS_PREFIX);
  const checks = new CheckRunner({ logger: log, signals: core.signalSource });
  const startedListeners = new Set<(pid: number) => void>();
  const runner = createRollbackRunner({
    logger: log.child({ component: 'rollback-runner' }),
    octokit: () => createOctokit({ token: config.env.GITHUB_TOKEN, baseUrl: config.env.GITHUB_API_URL, log }),
    clock,
    secrets: configuredSecrets(config),
    onScriptStarted: (pid) =>
      startedListeners.forEach((listener) => {
        listener(pid);
      }),
  });
  let messenger: RollbackMessenger | null = null;
  let durable: DurableDecisions | null = null;
  let intentSweep: NodeJS.Timeout | undefined;
  const deps: RollbackDeps = {
    service,
    requests,
    records: rollbackRecords,
    timers,
    plans,
    runChecks: (specs, placeholders, signal) => checks.runAll(specs, { placeholders, signal: signal ?? new AbortController().signal }),
    messenger: () => messenger,
    clock,
    log: log.child({ component: 'rollback' }),
    metrics,
  };
  const proposals = new RollbackProposals(deps);
  const execution = new RollbackExecution(deps, runner, {
    mentionsFor(name, commander) {
      const svc = config.services.find((s) => s.name === name);
      const people = [...new Set([...(commander && !commander.startsWith('alert:') ? [commander] : []), ...(svc?.owners ?? [])])].map(
        (id): Ref => ({ kind: 'user', id }),
      );
      return [...people, ...(svc?.user_group ? [{ kind: 'group' as const, id: svc.user_group }] : [])];
    },
  });

  // An alert rule with `auto_rollback: true` opened or raised the incident: propose once, through a persisted job.
  const autoTrigger: IncidentObserver = {
    name: 'auto-rollback',
    async opened(incident: Incident) {
      if (incident.autoRollback) await scheduleAuto(incident, incident.autoRollback.rule);
      // A deploy watch's breach: the rollback to the previous release is proposed for approval.
      else if (incident.deploy && isOpenStatus(incident.status))
        await timers.schedule({
          key: `rollback:deploy:${incident.id}`,
          kind: ROLLBACK_TIMERS.deployPropose,
          dueAt: clock(),
          payload: { incidentId: incident.id },
        });
    },
    async changed(incident: Incident, events: TimelineEventInput[]) {
      const raised = events.find((e) => e.kind === 'severity' && typeof e.details?.autoRollback === 'string');
      if (raised) await scheduleAuto(incident, raised.details!.autoRollback as string);
    },
  };
  async function scheduleAuto(incident: Incident, rule: string): Promise<void> {
    if (!isOpenStatus(incident.status)) return;
    await timers.schedule({
      key: `rollback:auto:${incident.id}`,
      kind: ROLLBACK_TIMERS.autoPropose,
      dueAt: clock(),
      payload: { incidentId: incident.id, rule },
    });
  }
  service.observe(autoTrigger);

  // Approval blocks show the incident's severity, its confirmation (gate 1) and its state:
  // redraw them when one of those changes, not only when the request itself does.
  const approvalRedraw: IncidentObserver = {
    name: 'rollback-approval-redraw',
    async changed(incident: Incident, _events: TimelineEventInput[], previous: Incident) {
      const current = messenger;
      if (!current || !approvalFactsChanged(previous, incident)) return;
      for (const request of await requests.forIncident(incident.id)) if (request.messages.length) current.refresh(request.id);
    },
  };
  service.observe(approvalRedraw);

  return {
    name: 'rollback',
    requests,
    onRunnerStarted(listener) {
      startedListeners.add(listener);
      return () => startedListeners.delete(listener);
    },
    timerHandlers: {
      [ROLLBACK_TIMERS.execute]: execution.execute,
      [ROLLBACK_TIMERS.countdown]: execution.countdown,
      [ROLLBACK_TIMERS.expire]: execution.expire,
      [ROLLBACK_TIMERS.autoPropose]: async (timer) => {
        const { incidentId, rule } = timer.payload as { incidentId: string; rule: string };
        await proposals.proposeAutomatic(incidentId, rule);
      },
      [ROLLBACK_TIMERS.deployPropose]: async (timer) => {
        const { incidentId } = timer.payload as { incidentId: string };
        await proposals.proposeForDeploy(incidentId);
      },
    },
    install({ app, publisher, deps: slackDeps }) {
      messenger = new SlackRollbackMessenger(app.client, {
        service,
        requests,
        plans,
        incidentChannel: config.channels.incident_response,
        log: deps.log,
        metrics,
      });
      const approvers = new ApproverDirectory(new SlackUserGroups(app.client), new SlackUserAccounts(app.client), deps.log);
      const decisions = new RollbackDecisions(deps, approvers, execution);
      durable = new DurableDecisions(
        new RedisDecisionIntents(redis, config.env.REDIS_PREFIX),
        decisions,
        requests,
        new SlackResponseUrl(configuredSecrets(config)),
        deps.log,
      );
      registerRollbackHandlers(app, slackDeps, { proposals, durable, serviceNames: [...byName.keys()] });
      publisher.addAnnouncementButtons((incident) =>
        incident.service && plans(incident.service)
          ? [{ actionId: ACTIONS.proposeRollback, text: 'Propose rollback', value: incident.id }]
          : [],
      );
    },
    async start() {
      // Best effort and off the start path: a Redis outage at start must not stop the bot; the
      // timer engine's redelivery reaches the same verdict for any run cut short.
      void execution
        .sweep()
        .catch((error: unknown) =>
          deps.log.warn({ err: error }, 'rollback restart sweep failed; interrupted runs are found when their jobs are delivered again'),
        );
      // Clicks stored but not applied or not told when their process died (any replica's).
      const sweepIntents = () =>
        void durable?.sweep().catch((error: unknown) => deps.log.warn({ err: error }, 'decision intent sweep failed; retrying'));
      sweepIntents();
      intentSweep = setInterval(sweepIntents, INTENT_SWEEP_MS);
      intentSweep.unref();
    },
    async stop() {
      clearInterval(intentSweep);
    },
  };
}
