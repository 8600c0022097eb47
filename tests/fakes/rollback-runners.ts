import type { ChecksOutcome, RunChecks } from '../../src/app/ports/rollback-checks';
import type { CheckSpec } from '../../src/domain/rollback/rollback-plan';
import type { ExecutionFence, RollbackRunner, RunContext, RunResult } from '../../src/domain/rollback/rollback-runner';

/** A run as the far end saw it: which runner, with what filled in, under which fencing token. */
export interface ReceivedRun {
  runner: string;
  placeholders: Record<string, string>;
  fence: ExecutionFence | null;
}

/** What a scripted run does: end with a result, throw (an adapter bug), or hold until `finish()`. */
export type ScriptedRun = RunResult | { throws: string } | 'hold';

export const succeeded = (over: Partial<RunResult> = {}): RunResult => ({
  outcome: 'succeeded',
  exitCode: 0,
  durationMs: 1_500,
  outputExcerpt: 'rolled back',
  ...over,
});
export const failed = (over: Partial<RunResult> = {}): RunResult => ({
  outcome: 'failed',
  exitCode: 1,
  durationMs: 900,
  outputExcerpt: 'error: deploy target refused',
  ...over,
});

/**
 * Rollback runners in memory, with the adapters' contract: a run resolves with its result (the
 * adapters never throw on a failed rollback), and an abort of the signal ends a run in progress as
 * `cancelled`, as killing the process or cancelling the workflow does. Each runner name plays its
 * script in order; an unscripted run succeeds.
 */
export class FakeRollbackRunner implements RollbackRunner {
  readonly received: ReceivedRun[] = [];
  private readonly scripts = new Map<string, ScriptedRun[]>();
  private readonly holding: { runner: string; finish: (result: RunResult) => void }[] = [];
  private readonly waiters: (() => void)[] = [];

  will(runner: string, ...runs: ScriptedRun[]): this {
    this.scripts.set(runner, [...(this.scripts.get(runner) ?? []), ...runs]);
    return this;
  }

  async run(ctx: RunContext): Promise<RunResult> {
    const runner = ctx.spec.name;
    this.received.push({ runner, placeholders: { ...ctx.placeholders }, fence: ctx.fence ?? null });
    const next = this.scripts.get(runner)?.shift() ?? succeeded();
    if (next === 'hold') {
      return new Promise<RunResult>((resolve) => {
        const finish = (result: RunResult) => resolve(result);
        this.holding.push({ runner, finish });
        ctx.signal.addEventListener('abort', () => finish({ outcome: 'cancelled', durationMs: 300, outputExcerpt: 'killed' }), {
          once: true,
        });
        for (const w of this.waiters.splice(0)) w();
      });
    }
    if ('throws' in next) throw new Error(next.throws);
    return next;
  }

  /** Resolves once a held run is in progress (the rollback is running now); rejects if `job` ends first. */
  whenHeld(job?: Promise<unknown>): Promise<void> {
    if (this.holding.length) return Promise.resolve();
    const held = new Promise<void>((resolve) => this.waiters.push(resolve));
    if (!job) return held;
    const endedFirst = job.then(() => {
      throw new Error('the job ended without starting a held run');
    });
    return Promise.race([held, endedFirst]);
  }

  /** Ends the oldest held run with `result`. */
  finish(result: RunResult): void {
    const held = this.holding.shift();
    if (!held) throw new Error('no run is held');
    held.finish(result);
  }

  /** The runners the far end was asked to run, in order. */
  get ran(): string[] {
    return this.received.map((r) => r.runner);
  }
}

/**
 * Readiness and verification checks in memory, with CheckRunner's contract: every check gives one
 * result in order, the outcome passes only when all pass, a cancelled signal fails what is left.
 * A check named in `failing` fails with that detail (in `failOnce`: the next time only); the others pass.
 */
export function fakeChecks(): RunChecks & { failing: Map<string, string>; failOnce: Map<string, string> } {
  const failing = new Map<string, string>();
  const failOnce = new Map<string, string>();
  const run = async (checks: readonly CheckSpec[], _placeholders: Record<string, string>, signal?: AbortSignal): Promise<ChecksOutcome> => {
    const results = checks.map((c) => {
      if (signal?.aborted) return { name: c.name, passed: false, detail: 'cancelled', durationMs: 0 };
      const why = failOnce.get(c.name) ?? failing.get(c.name);
      failOnce.delete(c.name);
      return { name: c.name, passed: why === undefined, detail: why ?? 'HTTP 200', durationMs: 0 };
    });
    return { passed: results.every((r) => r.passed), results };
  };
  return Object.assign(run, { failing, failOnce });
}
