import type { RedisRollbackRecords } from '../adapters/outbound/redis/redis-rollback-records';
import type { RedisRollbackRequests } from '../adapters/outbound/redis/redis-rollback-requests';
import type { TimerEngine } from '../adapters/outbound/timers/timer';
import type { Clock } from '../domain/clock';
import type { ChecksOutcome } from '../adapters/outbound/runners/check-runner';
import type { CheckSpec } from '../domain/rollback/rollback-plan';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { IncidentService } from './incident-service';
import type { RollbackMessenger, RollbackPlans } from './rollback-ports';

/** Runs readiness or verification checks (CheckRunner). */
export type RunChecks = (
  checks: readonly CheckSpec[],
  placeholders: Record<string, string>,
  signal?: AbortSignal,
) => Promise<ChecksOutcome>;

/** What the rollback use cases share; built once by the rollback feature. */
export interface RollbackDeps {
  service: IncidentService;
  requests: RedisRollbackRequests;
  records: RedisRollbackRecords;
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
  deployPropose: 'rollback.deploy_propose',
} as const;
