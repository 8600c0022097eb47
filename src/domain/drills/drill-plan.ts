import type { CheckSpec, RunnerSpec } from '../rollback/rollback-plan';
import { DEFAULT_GRACE_MS, DEFAULT_OUTPUT_CAP_BYTES } from '../rollback/rollback-plan';
import type { Approvers, ServiceRollbackConfig } from '../rollback/service-rollback-config';
import type { DrillScenario } from './drill-scenario';

/** The service name a drill incident carries: rollbacks of it run the drill's plan, never a real one. */
export function drillServiceName(scenario: string): string {
  return `drill-${scenario}`;
}

export function scenarioOfDrillService(service: string): string | null {
  return service.startsWith('drill-') ? service.slice('drill-'.length) : null;
}

// A runner that does nothing but wait and succeed or fail as the scenario says: a real
// process through the real command runner, so progress, timeouts and fallbacks behave as in
// production, and nothing is rolled back.
const SIMULATED_RUNNER = `const [name, outcome, ms] = process.argv.slice(1);
console.log('drill: ' + name + ' (simulated) started');
setTimeout(() => { console.log('drill: ' + name + (outcome === 'success' ? ' succeeded' : ' failed')); process.exit(outcome === 'success' ? 0 : 1); }, Number(ms));`;

/**
 * The rollback plan a drill runs: its runners in order (the first primary, the rest
 * fallbacks), each taking its time divided by the drill's speed, and a verification that
 * passes or fails as written. Approvers are the scenario's, else the rehearsed service's.
 */
export function drillRollbackConfig(
  scenario: DrillScenario,
  speed: number,
  nodePath: string,
  serviceApprovers: Approvers | null,
): ServiceRollbackConfig {
  const runners: RunnerSpec[] = scenario.rollback.runners.map((runner) => {
    const takesMs = Math.max(0, Math.round(runner.takesMs / speed));
    return {
      kind: 'command',
      name: runner.name,
      argv: [nodePath, '-e', SIMULATED_RUNNER, runner.name, runner.outcome, String(takesMs)],
      timeoutMs: takesMs + 30_000,
      graceMs: DEFAULT_GRACE_MS,
      outputCapBytes: DEFAULT_OUTPUT_CAP_BYTES,
    };
  });
  const verification: CheckSpec[] = [
    {
      kind: 'command',
      name: 'drill verification (simulated)',
      argv: [nodePath, '-e', `process.exit(${scenario.rollback.verification === 'pass' ? 0 : 1})`],
      timeoutMs: 10_000,
      times: 1,
      intervalMs: 0,
    },
  ];
  const own = scenario.rollback.approvers;
  const approvers = own.users.length || own.groups.length ? own : (serviceApprovers ?? { users: [], groups: [] });
  return {
    plan: { level: scenario.rollback.level, runners, readiness: [], verification },
    approvers,
    twoApproversForP0: true,
    approvalTtlMs: Math.max(60_000, Math.round(3_600_000 / speed)),
    autoRollbackDelayMs: Math.round(60_000 / speed),
  };
}
