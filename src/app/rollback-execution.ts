import type { ScheduledTimer, TimerContext } from './ports/timer-engine';
import type { ExecutionRecord } from '../domain/report/records';
import { recordDecision, recordRecoveryValidated, recordRollbackEvent } from '../domain/rollback/rollback-incident-changes';
import type { RunnerSpec } from '../domain/rollback/rollback-plan';
import { scenarioOfDrillService } from '../domain/drills/drill-plan';
import {
  claimExecution,
  expire,
  finishExecution,
  finishStopped,
  markUnknown,
  recordAttempt,
  recordProgress,
  requestPlaceholders,
  startRun,
  type RollbackRequest,
  type RunnerAttempt,
} from '../domain/rollback/rollback-request';
import type { RollbackRunner, RunProgress, RunResult } from '../domain/rollback/rollback-runner';
import type { TimelineEventInput } from '../domain/timeline';
import { mayStartRunner } from '../domain/rollback/may-start-runner';
import { ROLLBACK_TIMERS, type RollbackDeps } from './rollback-deps';
import { describeAction } from './rollback-proposals';
import { joinPhrases, phrase, user, type Phrase, type Ref } from '../domain/phrase';
import { runnerKindOf } from '../domain/rollback/runner-kinds';

// The executing process renews this mark; a request still `running` without it had its process die.
const ALIVE_TTL_MS = 10_000;
const ALIVE_EVERY_MS = 2_000;
// Progress writes (Redis + Slack) at most this often; steps in between are coalesced.
const PROGRESS_EVERY_MS = 1_000;
const EXCERPT_CHARS = 1_500;
// How often the executing job looks for a "Stop rollback" (stored by whichever replica took the click).
const STOP_POLL_MS = 500;

export interface ExecutionOptions {
  /** People to call when every runner failed or the outcome is unknown (service owners, user group). */
  /** Who is called when a rollback needs a person: the commander, the service's owners and user group. */
  mentionsFor(service: string, incidentCommander: string | null): Ref[];
}

/**
 * Runs an approved rollback exactly once. `queue()` takes the atomic claim (a fencing token,
 * compare-and-set from approved to queued) and schedules a timer job due now, so the click is
 * answered at once and any replica may run it. The job runs the runners in order (primary,
 * then fallbacks) with verification after each success. A job delivered again while its
 * request is `running` and nobody keeps it alive marks the outcome unknown: never a re-run.
 */
export class RollbackExecution {
  constructor(
    private readonly deps: RollbackDeps,
    private readonly runner: RollbackRunner,
    private readonly options: ExecutionOptions,
  ) {}

  /** The claim. Of any number of callers exactly one gets a token and schedules the job. */
  async queue(requestId: string): Promise<boolean> {
    // Only a claimable request takes a token: a caller whose claim then fails would leave a token
    // newer than the winner's, and the winner's runner would refuse to start (mayStartRunner).
    const current = await this.deps.requests.get(requestId);
    if (!current || !claimExecution(current, 0, this.deps.clock()).ok) return false;
    const token = await this.deps.requests.nextToken(requestId);
    const claimed = await this.deps.requests.update(requestId, (r) => claimExecution(r, token, this.deps.clock()));
    if (!claimed.ok) return false;
    await this.deps.timers.schedule({
      key: `rollback:${requestId}:execute:${token}`,
      kind: ROLLBACK_TIMERS.execute,
      dueAt: this.deps.clock(),
      payload: { requestId, token },
    });
    this.deps.messenger()?.refresh(requestId);
    return true;
  }

  /** Timer handler: the execution job. */
  readonly execute = async (timer: ScheduledTimer, ctx: TimerContext): Promise<void> => {
    const { requestId, token } = timer.payload as { requestId: string; token: number };
    const { requests } = this.deps;
    const request = await requests.get(requestId);
    if (!request || request.execution?.token !== token) return; // a stale job: another claim owns it
    if (request.status === 'running') {
      // Its owner may still be alive (a lost lease), or died less than ALIVE_TTL_MS ago: wait for
      // its mark to run out here (this job's lease is renewed meanwhile) rather than through the
      // engine's growing backoff, so a crash is told to people within about one liveness period.
      const left = await requests.aliveForMs(requestId);
      if (left > 0) await new Promise((r) => setTimeout(r, Math.min(left, ALIVE_TTL_MS) + 100));
      if (await requests.isAlive(requestId)) throw new Error(`rollback ${requestId} is running under a live owner; checking again later`);
      await this.unknown(
        request,
        `the bot stopped while \`${request.runners[request.runnerIndex] ?? '?'}\` was running (job delivered again, attempt ${ctx.attempt})`,
      );
      return;
    }
    if (request.status !== 'queued') return;
    // Alive first, then running: a crash between the two leaves `queued`, which may safely run.
    await requests.markAlive(requestId, token, ALIVE_TTL_MS);
    const keepAlive = setInterval(() => void requests.touchAlive(requestId, token, ALIVE_TTL_MS).catch(() => undefined), ALIVE_EVERY_MS);
    // A stop can be clicked on any replica: it is stored, and seen here.
    const stop = new AbortController();
    const watchStop = setInterval(() => {
      requests.get(requestId).then(
        (r) => r?.stopRequested && stop.abort(),
        () => undefined,
      );
    }, STOP_POLL_MS);
    try {
      const started = await requests.update(requestId, (r) => startRun(r, token, this.deps.clock()));
      if (!started.ok) return;
      if (started.request.stopRequested) return await this.stopped(started.request, token, 'stopped before any runner started');
      await this.runAll(started.request, token, stop.signal);
    } finally {
      clearInterval(keepAlive);
      clearInterval(watchStop);
      await requests.clearAlive(requestId).catch(() => undefined);
    }
  };

  private async runAll(request: RollbackRequest, token: number, stop: AbortSignal): Promise<void> {
    const config = this.deps.plans(request.service);
    const placeholders = requestPlaceholders(request);
    let current = request;
    for (let index = request.runnerIndex; index < request.runners.length; index++) {
      const name = request.runners[index]!;
      const spec = config?.plan.runners.find((r) => r.name === name) ?? null;
      const previous = current.attempts.at(-1);
      await this.event(current, {
        kind: index === 0 ? 'rollback_started' : 'rollback_fallback',
        text:
          index === 0
            ? `Rollback ${request.id} started: ${name}`
            : `Falling back to ${name} (runner ${index + 1}/${request.runners.length}) after ${previous?.runner ?? 'the previous runner'} ${previous?.verification === 'failed' ? 'did not pass verification' : (previous?.outcome ?? 'failed')}`,
        details: { request: request.id, runner: name, index },
      });
      if (index > 0)
        await this.deps
          .messenger()
          ?.notice(
            current,
            `:leftwards_arrow_with_hook: ${current.id}: falling back to \`${name}\` after \`${previous?.runner}\` ${previous?.verification === 'failed' ? 'did not pass verification' : previous?.outcome}.`,
          );
      const attempt = spec ? await this.runOne(current, token, index, spec, placeholders, stop) : missingRunner(name);
      if (!attempt) {
        // Not started because a person asked to stop just now (between runners): that is a stop, final.
        // Otherwise a stale executor: another execution owns the request now (stopped() is fenced too).
        const latest = await this.deps.requests.get(request.id);
        if (latest?.stopRequested) await this.stopped(latest, token, `stopped before ${name} started`);
        return;
      }
      const recorded = await this.deps.requests.update(request.id, (r) => recordAttempt(r, token, attempt));
      if (!recorded.ok) return; // fenced out: someone marked it unknown meanwhile
      current = recorded.request;
      // Done and verified before the stop took effect: that stands.
      if (attempt.verification === 'passed' || (attempt.outcome === 'succeeded' && attempt.verification === null))
        return this.succeed(current, token, attempt);
      // A person stopped it: no fallback. (The stored request is checked too: the poll may not have seen it yet.)
      if (stop.aborted || current.stopRequested) {
        return this.stopped(
          current,
          token,
          `${name} ${attempt.outcome === 'cancelled' ? 'was killed mid-run' : attempt.verification === 'failed' ? 'ran; its verification was cut short or failed' : `ended (${attempt.outcome}) as the stop came`}`,
        );
      }
    }
    await this.fail(current, token);
  }

  /** One runner, its execution record, and (if it succeeded) the verification checks. */
  /** Null when the request is no longer in the state this execution claimed: nothing was started. */
  private async runOne(
    request: RollbackRequest,
    token: number,
    index: number,
    spec: RunnerSpec,
    placeholders: Record<string, string>,
    stop: AbortSignal,
  ): Promise<RunnerAttempt | null> {
    const { clock, records } = this.deps;
    const startedAt = clock();
    let lastWrite = 0;
    let pending: RunProgress | null = null;
    let flushing = false;
    const flush = async () => {
      if (flushing || !pending) return;
      flushing = true;
      const progress = pending;
      pending = null;
      lastWrite = clock();
      await this.deps.requests
        .update(request.id, (r) =>
          recordProgress(r, token, {
            runner: spec.name,
            step: progress.step ?? null,
            elapsedMs: progress.elapsedMs,
            link: progress.link ?? null,
          }),
        )
        .catch(() => undefined);
      this.deps.messenger()?.refresh(request.id);
      flushing = false;
    };
    const onProgress = (progress: RunProgress) => {
      pending = progress;
      if (clock() - lastWrite >= PROGRESS_EVERY_MS) void flush();
    };
    let result: RunResult;
    // The last look before anything leaves the bot: is the request still in the state we claimed?
    const latest = await this.deps.requests.get(request.id);
    const fence = mayStartRunner(latest, token, await this.deps.requests.latestToken(request.id), index);
    if (!fence.ok) {
      this.deps.log.warn({ request: request.id, token, runner: spec.name, code: fence.code }, `runner not started: ${fence.reason}`);
      await this.event(request, {
        kind: 'rollback_not_started',
        text: `${spec.name} not started for ${request.id}: ${fence.reason}.`,
        details: { request: request.id, runner: spec.name, token, code: fence.code },
      });
      return null;
    }
    try {
      result = await this.runner.run({ spec, placeholders, signal: stop, onProgress, fence: { requestId: request.id, token } });
    } catch (error) {
      result = { outcome: 'failed', durationMs: clock() - startedAt, outputExcerpt: '', error: (error as Error).message };
    }
    await flush();
    const finishedAt = clock();
    const execution: ExecutionRecord = {
      runner: spec.name,
      kind: runnerKindOf(spec).recordKind,
      outcome: result.outcome,
      exitCode: result.exitCode ?? null,
      conclusion: result.conclusion ?? null,
      startedAt,
      finishedAt,
      durationMs: result.durationMs,
      outputExcerpt: result.outputExcerpt.slice(-EXCERPT_CHARS),
      link: result.link ?? null,
    };
    await records.addExecution(request.incidentId, execution);
    // A drill's simulated runners are rehearsal, not rollbacks: they stay out of the metrics.
    if (!scenarioOfDrillService(request.service)) this.deps.metrics.rollbacks.inc({ outcome: result.outcome });
    const how =
      result.exitCode !== undefined && result.exitCode !== null
        ? `exit ${result.exitCode}`
        : result.conclusion
          ? `conclusion ${result.conclusion}`
          : (result.error ?? result.outcome);
    await this.event(request, {
      kind: 'rollback_executed',
      text: `${spec.name} ${result.outcome} (${how}) in ${(result.durationMs / 1000).toFixed(1)} s${result.link ? ` · ${result.link}` : ''}`,
      details: {
        request: request.id,
        runner: spec.name,
        outcome: result.outcome,
        exitCode: result.exitCode ?? null,
        conclusion: result.conclusion ?? null,
        durationMs: result.durationMs,
        link: result.link ?? null,
        outputExcerpt: execution.outputExcerpt.slice(-500),
      },
    });
    const base = { runner: spec.name, kind: spec.kind, outcome: result.outcome, durationMs: result.durationMs, link: result.link ?? null };
    if (result.outcome !== 'succeeded') return { ...base, verification: 'skipped', detail: result.error ?? how };
    const checks = this.deps.plans(request.service)?.plan.verification ?? [];
    if (!checks.length) return { ...base, verification: null, detail: `${how}; no verification checks configured` };
    const verified = await this.deps.runChecks(checks, placeholders, stop);
    const at = clock();
    const verification = {
      passed: verified.passed,
      checks: verified.results.map((c) => ({ name: c.name, passed: c.passed, detail: c.detail })),
      at,
    };
    await records.addVerification(request.incidentId, verification);
    const summary = verification.checks.map((c) => `${c.passed ? 'passed' : 'FAILED'} ${c.name}: ${c.detail}`).join('; ');
    await this.event(request, {
      kind: 'rollback_verification',
      text: `Verification after ${spec.name} ${verified.passed ? 'passed' : 'FAILED'}: ${summary}`,
      details: { request: request.id, runner: spec.name, passed: verified.passed },
    });
    return {
      ...base,
      verification: verified.passed ? 'passed' : 'failed',
      detail: verified.passed
        ? `${how}; verification passed`
        : `${how}; verification failed: ${verification.checks
            .filter((c) => !c.passed)
            .map((c) => `${c.name}: ${c.detail}`)
            .join('; ')}`,
    };
  }

  private async succeed(request: RollbackRequest, token: number, attempt: RunnerAttempt): Promise<void> {
    const done = await this.deps.requests.update(request.id, (r) =>
      finishExecution(r, token, 'succeeded', `${attempt.runner}: ${attempt.detail}`, this.deps.clock()),
    );
    if (!done.ok) return;
    const at = this.deps.clock();
    if (attempt.verification === 'passed') {
      await this.deps.service.apply(request.incidentId, (i) =>
        recordRecoveryValidated(i, {
          at,
          actor: 'bot',
          kind: 'rollback_succeeded',
          text: `Rollback ${request.id} succeeded via ${attempt.runner} and verification passed; monitoring.`,
          details: { request: request.id, runner: attempt.runner },
        }),
      );
      await this.deps.messenger()?.stabilized(done.request);
    } else {
      await this.event(done.request, {
        kind: 'rollback_succeeded',
        text: `Rollback ${request.id} succeeded via ${attempt.runner}; no verification checks are configured, so verify recovery by hand.`,
        details: { request: request.id },
      });
    }
    this.deps.messenger()?.refresh(request.id);
  }

  private async fail(request: RollbackRequest, token: number): Promise<void> {
    const what = request.attempts.map((a) => `${a.runner}: ${a.detail}`).join('; ') || 'no runner could run';
    const done = await this.deps.requests.update(request.id, (r) => finishExecution(r, token, 'failed', what, this.deps.clock()));
    if (!done.ok) return;
    const incident = await this.deps.service.get(request.incidentId);
    const mentions = this.options.mentionsFor(request.service, incident?.commander ?? null);
    await this.event(done.request, {
      kind: 'rollback_failed',
      text: `Rollback failed — manual intervention. ${what}`,
      details: { request: request.id, mentions },
    });
    await this.deps
      .messenger()
      ?.notice(
        done.request,
        phrase`:rotating_light: *Rollback failed — manual intervention* for ${request.incidentId} (${request.service}, ${request.id}). ${called(mentions)}\n${request.attempts.map((a) => `• \`${a.runner}\`: ${a.outcome}${a.verification === 'failed' ? ', verification failed' : ''} — ${a.detail}`).join('\n')}`,
      );
    this.deps.messenger()?.refresh(request.id);
  }

  /** A person stopped it: final, no fallback; the people who can act are called, as on failure. */
  private async stopped(request: RollbackRequest, token: number, what: string): Promise<void> {
    const by = request.stopRequested?.by ?? '?';
    const done = await this.deps.requests.update(request.id, (r) => finishStopped(r, token, what, this.deps.clock()));
    if (!done.ok) return;
    const incident = await this.deps.service.get(request.incidentId);
    const mentions = this.options.mentionsFor(request.service, incident?.commander ?? null);
    await this.event(done.request, {
      kind: 'rollback_stopped',
      text: phrase`Rollback ${request.id} stopped by ${user(by)}: ${what}. No fallback runs; the system may be partly rolled back.`,
      details: { request: request.id, by, mentions },
    });
    await this.deps
      .messenger()
      ?.notice(
        done.request,
        phrase`:octagonal_sign: *Rollback ${request.id} stopped* by ${user(by)}: ${what}. No fallback runs; ${request.service} may be partly rolled back. ${called(mentions)} please check it and decide.`,
      );
    this.deps.messenger()?.refresh(request.id);
  }

  private async unknown(request: RollbackRequest, reason: string): Promise<void> {
    const marked = await this.deps.requests.update(request.id, (r) => markUnknown(r, reason, this.deps.clock()));
    if (!marked.ok) return;
    const incident = await this.deps.service.get(request.incidentId);
    const mentions = this.options.mentionsFor(request.service, incident?.commander ?? null);
    await this.event(marked.request, {
      kind: 'rollback_unknown',
      text: `Rollback ${request.id} outcome unknown: ${reason}. Not re-run; a person must check and decide.`,
      details: { request: request.id, mentions },
    });
    await this.deps
      .messenger()
      ?.notice(
        marked.request,
        phrase`:grey_question: *Rollback ${request.id} outcome unknown* — ${reason}. It is not re-run automatically. ${called(mentions)} please check ${request.service} and decide (propose again or resolve by hand).`,
      );
    this.deps.messenger()?.refresh(request.id);
  }

  /** Timer handler: an automatic rollback's countdown ran out without an abort. */
  readonly countdown = async (timer: ScheduledTimer): Promise<void> => {
    const { requestId } = timer.payload as { requestId: string };
    const request = await this.deps.requests.get(requestId);
    if (request?.status !== 'countdown') return;
    const at = this.deps.clock();
    await this.deps.records.addDecision(request.incidentId, {
      kind: 'approval',
      by: request.requestedBy,
      at,
      action: describeAction(request),
      reason: 'automatic rollback rule; nobody aborted within the countdown',
    });
    await this.deps.service.apply(request.incidentId, (i) =>
      recordDecision(i, {
        at,
        actor: 'bot',
        kind: 'rollback_approved',
        text: `Automatic rollback ${request.id}: nobody aborted; starting.`,
        details: { request: request.id },
      }),
    );
    await this.queue(requestId);
  };

  /** Timer handler: an approval window closed. */
  readonly expire = async (timer: ScheduledTimer): Promise<void> => {
    const { requestId } = timer.payload as { requestId: string };
    const expired = await this.deps.requests.update(requestId, (r) => expire(r, this.deps.clock()));
    if (!expired.ok) return;
    await this.event(expired.request, {
      kind: 'rollback_expired',
      text: `Rollback ${requestId} expired with ${expired.request.approvals.length}/${expired.request.approvalsNeeded} approvals.`,
      details: { request: requestId },
    });
    this.deps.messenger()?.refresh(requestId);
  };

  /**
   * At start: a request `running` with no live owner died with its bot (unknown, never re-run);
   * an approved one never claimed (crash between approval and claim) is claimed now.
   */
  async sweep(): Promise<void> {
    for (const request of await this.deps.requests.active()) {
      if (request.status === 'running' && !(await this.deps.requests.isAlive(request.id))) {
        await this.unknown(request, `the bot restarted while \`${request.runners[request.runnerIndex] ?? '?'}\` was running`);
      } else if (request.status === 'approved' && !request.execution) {
        await this.queue(request.id);
      } else if (request.status === 'pending' && request.expiresAt <= this.deps.clock()) {
        await this.expire({
          key: '',
          kind: ROLLBACK_TIMERS.expire,
          dueAt: request.expiresAt,
          scheduledAt: 0,
          payload: { requestId: request.id },
        });
      }
    }
  }

  private async event(request: RollbackRequest, event: Omit<TimelineEventInput, 'at' | 'actor'>): Promise<void> {
    const at = this.deps.clock();
    await this.deps.service.apply(request.incidentId, (i) => recordRollbackEvent(i, { at, actor: 'bot', ...event }));
  }
}

function missingRunner(name: string): RunnerAttempt {
  return {
    runner: name,
    kind: 'unknown',
    outcome: 'failed',
    verification: 'skipped',
    detail: `runner ${name} is no longer in the config`,
    durationMs: 0,
    link: null,
  };
}

/** The people called on a notice, as references each front end renders (mentions in Slack). */
function called(mentions: Ref[]): Phrase {
  return joinPhrases(
    mentions.map((m) => [m]),
    ' ',
  );
}
