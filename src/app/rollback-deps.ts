import type { RollbackRecords } from './ports/rollback-records';
import type { RollbackRequests } from './ports/rollback-requests';
import type { TimerEngine } from './ports/timer-engine';
import type { Clock } from '../domain/clock';
import type { RunChecks } from './ports/rollback-checks';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { IncidentService } from './incident-service';
import type { RollbackMessenger, RollbackPlans } from './ports/rollback-messenger';

/** What the rollback use cases share; built once by the rollback feature. */
export interface RollbackDeps {
  service: IncidentService;
  requests: RollbackRequests;
  records: RollbackRecords;
  timers: TimerEngine;
  plans: RollbackPlans;
  runChecks: RunChecks;
  /** Set once Slack exists (install); until then nothing is shown. */
  messenger: () => RollbackMessenger | null;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
}

/** Timer kinds of the rollback flow; keys start with `rollback:` so an incident's SLA re-planning never cancels them. */
export const ROLLBACK_TIMERS = {
  execute: 'rollback.execute',
  expire: 'rollback.expire',
  countdown: 'rollback.countdown',
  autoPropose: 'rollback.auto_propose',
} as const;
