import { stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../../logger';
import { expandArgv, expandPlaceholders } from '../../../domain/rollback/expand-placeholders';
import {
  formatStatusRanges,
  isStatusInRanges,
  type CheckSpec,
  type HttpCheckSpec,
  type SignalCheckSpec,
} from '../../../domain/rollback/rollback-plan';
import { describeCondition, formatSignalNumber, meetsCondition } from '../../../domain/signals/signal-condition';
import type { CheckResult, ChecksOutcome } from '../../../app/ports/rollback-checks';
import type { SignalSource } from '../../../app/ports/signal-source';
import { BlockedDestinationError, guardedHttpRequest } from './guarded-http-request';
import { runProcess } from './run-process';
import { DEFAULT_BASE_ENV } from './script-rollback-runner';
import { plainText } from '../../../domain/phrase';

export interface CheckRunnerOptions {
  logger: Logger;
  /** Live signals for `kind: prometheus` checks; null or absent when not configured. */
  signals?: SignalSource | null;
  /** Environment for command checks (PATH...), as for rollback scripts. */
  baseEnv?: Record<string, string>;
}

export interface RunChecksContext {
  placeholders: Record<string, string>;
  signal: AbortSignal;
}

type Attempt = { passed: boolean; detail: string };
const COMMAND_GRACE_MS = 1_000;
const COMMAND_OUTPUT_BYTES = 4 * 1024;

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return (lines[lines.length - 1] ?? '').slice(0, 200);
}

/**
 * Readiness (gate 2) and verification (gate 3) probes. Checks run side by side; each
 * repeats `times` attempts `intervalMs` apart and passes only if every attempt passes,
 * so it stops at the first failing attempt.
 */
export class CheckRunner {
  private readonly log: Logger;

  constructor(private readonly options: CheckRunnerOptions) {
    this.log = options.logger.child({ component: 'check-runner' });
  }

  async runAll(checks: readonly CheckSpec[], ctx: RunChecksContext): Promise<ChecksOutcome> {
    const results = await Promise.all(checks.map((check) => this.runCheck(check, ctx)));
    return { passed: results.every((r) => r.passed), results };
  }

  async runCheck(check: CheckSpec, ctx: RunChecksContext): Promise<CheckResult> {
    const started = performance.now();
    const done = (passed: boolean, detail: string): CheckResult => {
      const result = { name: check.name, passed, detail, durationMs: Math.round(performance.now() - started) };
      this.log.info({ check: check.name, passed, detail }, 'check finished');
      return result;
    };
    let last = '';
    for (let attempt = 1; attempt <= check.times; attempt++) {
      if (ctx.signal.aborted) return done(false, 'cancelled');
      const outcome = await this.attempt(check, ctx).catch((error: Error): Attempt => ({ passed: false, detail: error.message }));
      if (!outcome.passed) {
        return done(false, check.times > 1 ? `attempt ${attempt}/${check.times}: ${outcome.detail}` : outcome.detail);
      }
      last = outcome.detail;
      if (attempt < check.times) {
        try {
          await sleep(check.intervalMs, undefined, { signal: ctx.signal });
        } catch {
          return done(false, 'cancelled');
        }
      }
    }
    return done(true, check.times > 1 ? `${check.times}/${check.times} attempts passed` : last);
  }

  private async attempt(check: CheckSpec, ctx: RunChecksContext): Promise<Attempt> {
    switch (check.kind) {
      case 'command': {
        const argv = expandArgv(check.argv, ctx.placeholders);
        if (!argv.ok) return { passed: false, detail: plainText(argv.reason) };
        const result = await runProcess({
          argv: argv.value,
          cwd: check.cwd,
          env: this.options.baseEnv ?? DEFAULT_BASE_ENV,
          timeoutMs: check.timeoutMs,
          graceMs: COMMAND_GRACE_MS,
          outputCapBytes: COMMAND_OUTPUT_BYTES,
          signal: ctx.signal,
        });
        if (result.ending === 'spawn_failed') return { passed: false, detail: result.error ?? 'could not start' };
        if (result.ending !== 'exited')
          return { passed: false, detail: result.ending === 'timed_out' ? `no exit after ${check.timeoutMs} ms` : 'cancelled' };
        const said = lastLine(result.outputExcerpt);
        return result.exitCode === 0
          ? { passed: true, detail: said || 'exit 0' }
          : { passed: false, detail: `exit ${result.exitCode ?? result.signal}${said ? `: ${said}` : ''}` };
      }
      case 'file_exists': {
        const path = expandPlaceholders(check.path, ctx.placeholders, 'path');
        if (!path.ok) return { passed: false, detail: plainText(path.reason) };
        try {
          await stat(path.value);
          return { passed: true, detail: `${path.value} exists` };
        } catch {
          return { passed: false, detail: `${path.value} does not exist` };
        }
      }
      case 'http':
        return this.httpAttempt(check, ctx.signal);
      case 'prometheus':
        return this.signalAttempt(check, ctx);
    }
  }

  /**
   * Verification by signal: sampled through the whole window; the first sample that breaks
   * the condition, reads "no data", or cannot be read fails it (unknown is not recovered).
   */
  private async signalAttempt(check: SignalCheckSpec, ctx: RunChecksContext): Promise<Attempt> {
    const source = this.options.signals;
    if (!source) return { passed: false, detail: 'signals are not configured (signals.prometheus.url or PROMETHEUS_URL)' };
    const service = ctx.placeholders.service ?? null;
    const stepMs = Math.min(15_000, Math.max(1_000, Math.round(check.forMs / 10)));
    const started = Date.now();
    const what = describeCondition(check);
    let samples = 0;
    let worst: number | null = null;
    for (;;) {
      const reading = await source.read(check.ref, service);
      if (reading.kind === 'unavailable') return { passed: false, detail: `signals unavailable: ${reading.reason}` };
      if (reading.kind === 'no_data') return { passed: false, detail: `${what}: no data` };
      samples += 1;
      worst = worst === null ? reading.value : check.op === 'below' ? Math.max(worst, reading.value) : Math.min(worst, reading.value);
      if (!meetsCondition(reading.value, check))
        return {
          passed: false,
          detail: `${what}: was ${formatSignalNumber(reading.value)} after ${Math.round((Date.now() - started) / 1000)}s`,
        };
      const left = started + check.forMs - Date.now();
      if (left <= 0) break;
      try {
        await sleep(Math.min(stepMs, left), undefined, { signal: ctx.signal });
      } catch {
        return { passed: false, detail: 'cancelled' };
      }
    }
    return {
      passed: true,
      detail: `${what} held for ${Math.round(check.forMs / 1000)}s (${samples} samples, ${check.op === 'below' ? 'max' : 'min'} ${formatSignalNumber(worst!)}, ${source.name})`,
    };
  }

  private async httpAttempt(check: HttpCheckSpec, signal: AbortSignal): Promise<Attempt> {
    const timeout = AbortSignal.timeout(check.timeoutMs);
    try {
      const response = await guardedHttpRequest(check.url, { method: 'GET', signal: AbortSignal.any([signal, timeout]) });
      if (!isStatusInRanges(response.status, check.expectStatuses)) {
        return { passed: false, detail: `HTTP ${response.status}, expected ${formatStatusRanges(check.expectStatuses)}` };
      }
      if (check.bodyContains !== undefined && !response.body.includes(check.bodyContains)) {
        return { passed: false, detail: `HTTP ${response.status} but body lacks "${check.bodyContains}"` };
      }
      if (check.bodyMatches !== undefined && !new RegExp(check.bodyMatches).test(response.body)) {
        return { passed: false, detail: `HTTP ${response.status} but body does not match /${check.bodyMatches}/` };
      }
      return { passed: true, detail: `HTTP ${response.status}` };
    } catch (error) {
      if (timeout.aborted) return { passed: false, detail: `no answer after ${check.timeoutMs} ms` };
      if (signal.aborted) return { passed: false, detail: 'cancelled' };
      return {
        passed: false,
        detail: error instanceof BlockedDestinationError ? `refused: ${error.message}` : `request failed: ${(error as Error).message}`,
      };
    }
  }
}
