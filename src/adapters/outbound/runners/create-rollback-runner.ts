import type { Octokit } from '@octokit/rest';
import type { Logger } from '../../../logger';
import type { Clock } from '../../../domain/clock';
import type { RunnerKind, RunnerSpec } from '../../../domain/rollback/rollback-plan';
import type { RollbackRunner, RunContext, RunResult } from '../../../domain/rollback/rollback-runner';
import { GitHubActionsRollbackRunner } from './github-actions-rollback-runner';
import { HttpRollbackRunner } from './http-rollback-runner';
import { ScriptRollbackRunner } from './script-rollback-runner';

export interface RollbackRunnerDeps {
  logger: Logger;
  /** Called on first use: a bot without GitHub Actions runners needs no GitHub client or token. */
  octokit: () => Octokit;
  clock?: Clock;
  /** Base environment for scripts (PATH, HOME, ...), from config; never the bot's own env. */
  baseEnv?: Record<string, string>;
  /** Known secret values (tokens from config) to redact from runner output. */
  secrets?: readonly string[];
  onScriptStarted?(pid: number): void;
}

/**
 * One RollbackRunner for every kind of spec: it picks the adapter by `spec.kind`, building
 * each on first use. Adapters keep no per-run state, so the app holds just this one.
 */
export function createRollbackRunner(deps: RollbackRunnerDeps): RollbackRunner<RunnerSpec> {
  const built = new Map<RunnerKind, RollbackRunner<never>>();
  const runnerFor = (kind: RunnerKind): RollbackRunner<never> => {
    let runner = built.get(kind);
    if (!runner) {
      runner = build(kind, deps);
      built.set(kind, runner);
    }
    return runner;
  };
  return {
    run(ctx: RunContext<RunnerSpec>): Promise<RunResult> {
      return (runnerFor(ctx.spec.kind) as RollbackRunner<RunnerSpec>).run(ctx);
    },
  };
}

type SpecOf<K extends RunnerKind> = Extract<RunnerSpec, { kind: K }>;

/** The adapter for each runner kind; the mapped type makes the compiler refuse a kind left out. */
const RUNNER_FACTORIES: { [K in RunnerKind]: (deps: RollbackRunnerDeps) => RollbackRunner<SpecOf<K>> } = {
  command: (deps) =>
    new ScriptRollbackRunner({ logger: deps.logger, baseEnv: deps.baseEnv, secrets: deps.secrets, onStarted: deps.onScriptStarted }),
  github_actions: (deps) => new GitHubActionsRollbackRunner({ octokit: deps.octokit(), logger: deps.logger, clock: deps.clock }),
  http: (deps) => new HttpRollbackRunner({ logger: deps.logger, secrets: deps.secrets }),
};

function build(kind: RunnerKind, deps: RollbackRunnerDeps): RollbackRunner<never> {
  return RUNNER_FACTORIES[kind](deps);
}
