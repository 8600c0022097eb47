import { IncidentService } from '../../../src/app/incident-service';
import { ApproverDirectory } from '../../../src/app/rollback-approvers';
import { RollbackDecisions } from '../../../src/app/rollback-decisions';
import { ROLLBACK_TIMERS, type RollbackDeps } from '../../../src/app/rollback-deps';
import { RollbackExecution } from '../../../src/app/rollback-execution';
import { RollbackProposals } from '../../../src/app/rollback-proposals';
import type { NewIncident } from '../../../src/domain/incident';
import { plainText, user } from '../../../src/domain/phrase';
import type { ClickOrigin } from '../../../src/domain/rollback/click-origin';
import type { RunnerSpec } from '../../../src/domain/rollback/rollback-plan';
import type { Approvers, ServiceRollbackConfig } from '../../../src/domain/rollback/service-rollback-config';
import { DEFAULT_SLA_POLICY } from '../../../src/domain/sla-policy';
import { createMetrics, manualClock, silentLogger } from '../../fakes/clock';
import { FakeIncidentStore } from '../../fakes/incident-store';
import { RecordingRollbackMessenger } from '../../fakes/notifier';
import { FakeAccounts } from '../../fakes/people';
import { FakeRollbackRunner, fakeChecks } from '../../fakes/rollback-runners';
import { FakeRollbackRecords, FakeRollbackRequests } from '../../fakes/rollback-stores';
import { FakeTimerEngine } from '../../fakes/timer-engine';

export const PRIMARY: RunnerSpec = {
  kind: 'command',
  name: 'deploy-revert',
  argv: ['./deploy', 'revert', '{service}', '{release}'],
  timeoutMs: 300_000,
  graceMs: 5_000,
  outputCapBytes: 65_536,
};
/** A runner that needs no release (reverts to the last good deploy): what automatic rollbacks use. */
export const REVERT_LAST: RunnerSpec = { ...PRIMARY, name: 'revert-last', argv: ['./deploy', 'revert-last', '{service}'] };
export const FALLBACK: RunnerSpec = {
  kind: 'github_actions',
  name: 'gha-rollback',
  owner: 'acme',
  repo: 'checkout',
  workflow: 'rollback.yml',
  ref: 'main',
  inputs: { release: '{release}' },
  timeoutMs: 600_000,
  pollMs: 5_000,
};

export interface WorldOptions {
  approvers?: Approvers;
  runners?: RunnerSpec[];
  verification?: boolean;
  autoRollbackDelayMs?: number;
}

/** The rollback use cases wired over in-memory ports, as the rollback feature wires them. */
export function rollbackWorld(options: WorldOptions = {}) {
  const store = new FakeIncidentStore();
  const clock = manualClock();
  const timers = new FakeTimerEngine(clock);
  const log = silentLogger();
  const metrics = createMetrics();
  const service = new IncidentService({ store, clock, log, metrics, slaPolicy: DEFAULT_SLA_POLICY });
  const requests = new FakeRollbackRequests();
  const records = new FakeRollbackRecords();
  const messenger = new RecordingRollbackMessenger();
  const checks = fakeChecks();
  const runner = new FakeRollbackRunner();
  const people = new FakeAccounts();
  const config: ServiceRollbackConfig = {
    plan: {
      level: 'component',
      runners: options.runners ?? [PRIMARY, FALLBACK],
      readiness: [{ kind: 'file_exists', name: 'runbook present', path: '/srv/runbooks/checkout.md', times: 1, intervalMs: 0 }],
      verification:
        options.verification === false
          ? []
          : [
              {
                kind: 'http',
                name: 'checkout health',
                url: 'https://checkout.test/health',
                expectStatuses: [{ min: 200, max: 299 }],
                timeoutMs: 5_000,
                times: 1,
                intervalMs: 0,
              },
            ],
    },
    approvers: options.approvers ?? { users: ['U0APPROVER', 'U0SECOND'], groups: [] },
    twoApproversForP0: true,
    approvalTtlMs: 15 * 60_000,
    autoRollbackDelayMs: options.autoRollbackDelayMs ?? 60_000,
  };
  const deps: RollbackDeps = {
    service,
    requests,
    records,
    timers,
    plans: (name) => (name === 'checkout' ? config : null),
    runChecks: checks,
    messenger: () => messenger,
    clock,
    log,
    metrics,
  };
  const execution = new RollbackExecution(deps, runner, {
    mentionsFor: (_service, commander) => [...(commander ? [user(commander)] : []), user('U0OWNER')],
  });
  const decisions = new RollbackDecisions(deps, new ApproverDirectory(people, people, log), execution);
  const proposals = new RollbackProposals(deps);
  timers.start({
    [ROLLBACK_TIMERS.execute]: execution.execute,
    [ROLLBACK_TIMERS.expire]: execution.expire,
    [ROLLBACK_TIMERS.countdown]: execution.countdown,
  });
  return { store, clock, timers, service, requests, records, messenger, checks, runner, people, config, execution, decisions, proposals };
}
export type World = ReturnType<typeof rollbackWorld>;

/** An open checkout incident whose severity a person confirmed (gate 1). */
export async function openIncident(w: World, input: Partial<NewIncident> = {}) {
  const { incident } = await w.service.open({
    title: 'checkout errors',
    severity: 'P1',
    openedBy: 'U0OPENER',
    service: 'checkout',
    ...input,
  });
  await w.service.confirmSeverity(incident.id, 'U0OPENER');
  return incident.id;
}

/** A rollback of checkout to v41 proposed by U0PROPOSER; readiness as the checks say. */
export async function propose(w: World, incidentId: string, by = 'U0PROPOSER') {
  const outcome = await w.proposals.propose({ incidentId, service: null, release: 'v41', dryRun: false, by });
  if (!outcome.ok) throw new Error(`not proposed: ${String(outcome.reason)}`);
  return outcome.request;
}

/** A click on the request's own approval message. */
export const onItsMessage = (requestId: string): ClickOrigin => ({ channel: 'C-INCIDENTS', ts: '1.000', metadataRequestId: requestId });

/** The timeline entries of the rollback flow, as "<kind>: <text>" lines. */
export async function rollbackTimeline(w: World, incidentId: string) {
  return (await w.store.timeline(incidentId)).filter((e) => e.kind.startsWith('rollback_')).map((e) => `${e.kind}: ${plainText(e.text)}`);
}

/** Lets every due job run (the execution job among them). */
export const runDueJobs = (w: World) => w.timers.fireDue();
