import type { Logger } from '../../../logger';
import { expandArgv } from '../../../domain/rollback/expand-placeholders';
import { parseStepLine } from '../../../domain/rollback/parse-step-line';
import type { CommandRunnerSpec } from '../../../domain/rollback/rollback-plan';
import { FENCE, type RollbackRunner, type RunContext, type RunResult } from '../../../domain/rollback/rollback-runner';
import { runProcess } from './run-process';
import { plainText } from '../../../domain/phrase';

export interface ScriptRollbackRunnerOptions {
  logger: Logger;
  /**
   * The environment every script starts from (PATH, HOME, LANG...), built by config.
   * Deliberately not process.env: the bot's own tokens must not leak into scripts.
   */
  baseEnv?: Record<string, string>;
  /** Strings redacted from output in addition to the spec's env values (tokens the config knows). */
  secrets?: readonly string[];
  /** Called with the pid as soon as the process exists (approval→start latency benchmark). */
  onStarted?(pid: number): void;
}

export const DEFAULT_BASE_ENV: Record<string, string> = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  LANG: 'C.UTF-8',
};

/** Runs a rollback script (argv, no shell) in its own process group; see runProcess for the kill rules. */
export class ScriptRollbackRunner implements RollbackRunner<CommandRunnerSpec> {
  private readonly log: Logger;

  constructor(private readonly options: ScriptRollbackRunnerOptions) {
    this.log = options.logger.child({ component: 'script-rollback-runner' });
  }

  async run(ctx: RunContext<CommandRunnerSpec>): Promise<RunResult> {
    const { spec } = ctx;
    const argv = expandArgv(spec.argv, ctx.placeholders);
    if (!argv.ok) return { outcome: 'failed', durationMs: 0, outputExcerpt: '', error: plainText(argv.reason) };

    const started = performance.now();
    const secrets = [...Object.values(spec.env ?? {}), ...(this.options.secrets ?? [])];
    const result = await runProcess({
      argv: argv.value,
      cwd: spec.cwd,
      env: {
        ...(this.options.baseEnv ?? DEFAULT_BASE_ENV),
        ...spec.env,
        ...(ctx.fence ? { [FENCE.env.token]: String(ctx.fence.token), [FENCE.env.request]: ctx.fence.requestId } : {}),
      },
      timeoutMs: spec.timeoutMs,
      graceMs: spec.graceMs,
      outputCapBytes: spec.outputCapBytes,
      secrets,
      signal: ctx.signal,
      onStarted: (pid) => {
        this.log.info({ runner: spec.name, pid }, 'rollback script started');
        this.options.onStarted?.(pid);
      },
      onLine: (line) => {
        const step = parseStepLine(line);
        if (step) ctx.onProgress({ step, elapsedMs: Math.round(performance.now() - started) });
      },
    });

    const base = { exitCode: result.exitCode, signal: result.signal, durationMs: result.durationMs, outputExcerpt: result.outputExcerpt };
    this.log.info(
      { runner: spec.name, ending: result.ending, exitCode: result.exitCode, signal: result.signal, durationMs: result.durationMs },
      'rollback script ended',
    );
    switch (result.ending) {
      case 'spawn_failed':
        return { ...base, outcome: 'failed', error: result.error };
      case 'timed_out':
        return { ...base, outcome: 'timed_out', error: `no result after ${spec.timeoutMs} ms; process group stopped` };
      case 'cancelled':
        return { ...base, outcome: 'cancelled', error: 'cancelled; process group stopped' };
      case 'exited':
        return result.exitCode === 0
          ? { ...base, outcome: 'succeeded' }
          : { ...base, outcome: 'failed', error: result.exitCode === null ? `killed by ${result.signal}` : `exit code ${result.exitCode}` };
    }
  }
}
