import { describe, expect, it } from 'vitest';
import { ROLLBACK_TIMERS } from '../../../src/app/rollback-deps';
import { plainText } from '../../../src/domain/phrase';
import type { NewIncident } from '../../../src/domain/incident';
import { failed, type ScriptedRun, succeeded } from '../../fakes/rollback-runners';
import {
  FALLBACK,
  onItsMessage,
  openIncident,
  propose,
  REVERT_LAST,
  rollbackTimeline,
  rollbackWorld,
  runDueJobs,
  type World,
  type WorldOptions,
} from './rollback-world';

/** An open incident with U0IC in command, and its checkout rollback approved (queued, not run yet). */
async function approvedRollback(w: World, input: Partial<NewIncident> = {}) {
  const id = await openIncident(w, input);
  await w.service.takeCommand(id, 'U0IC');
  const r = await propose(w, id);
  const outcome = await w.decisions.decide(r.id, 'approve', 'U0APPROVER', onItsMessage(r.id));
  if (!outcome.ok) throw new Error('not approved');
  return { id, requestId: r.id };
}

async function setup(options: WorldOptions = {}) {
  const w = rollbackWorld(options);
  return { w, ...(await approvedRollback(w)) };
}

/** The rollback's own lines, from its start on (not the proposal and approval). */
async function runLines(w: World, id: string) {
  const lines = await rollbackTimeline(w, id);
  return lines.slice(lines.findIndex((l) => l.startsWith('rollback_started')));
}

describe('RollbackExecution runs an approved rollback and checks it worked (in-memory ports)', () => {
  it('the primary succeeds and verification passes: recovery is validated and "stabilized" offered', async () => {
    const { w, id, requestId } = await setup();
    await runDueJobs(w);
    expect((await w.requests.get(requestId))?.status).toBe('succeeded');
    expect(await runLines(w, id)).toEqual([
      `rollback_started: Rollback ${requestId} started: deploy-revert`,
      'rollback_executed: deploy-revert succeeded (exit 0) in 1.5 s',
      'rollback_verification: Verification after deploy-revert passed: passed checkout health: HTTP 200',
      `rollback_succeeded: Rollback ${requestId} succeeded via deploy-revert and verification passed; monitoring.`,
    ]);
    expect((await w.records.executions(id)).map((e) => [e.runner, e.outcome])).toEqual([['deploy-revert', 'succeeded']]);
    expect(await w.records.latestVerification(id)).toMatchObject({ passed: true, checks: [{ name: 'checkout health', passed: true }] });
    expect((await w.service.get(id))?.gates?.recoveryValidatedAt).toBe(w.clock());
    expect(w.messenger.stabilizedRequests).toEqual([requestId]);
  });

  it('the runner is told what to roll back and under which fencing token', async () => {
    const { w, id, requestId } = await setup();
    await runDueJobs(w);
    expect(w.runner.received).toEqual([
      {
        runner: 'deploy-revert',
        placeholders: expect.objectContaining({ incident_id: id, request_id: requestId, service: 'checkout', release: 'v41' }),
        fence: { requestId, token: 1 },
      },
    ]);
  });

  it.each<[string, ScriptedRun, (w: World) => void, string, string]>([
    ['failed', failed(), () => {}, 'failed', 'deploy-revert failed (exit 1) in 0.9 s'],
    [
      'timed out',
      failed({ outcome: 'timed_out', exitCode: null, error: 'no exit after 300000 ms' }),
      () => {},
      'timed_out',
      'deploy-revert timed_out (no exit after 300000 ms) in 0.9 s',
    ],
    [
      'could not start (the adapter threw)',
      { throws: 'spawn ./deploy ENOENT' },
      () => {},
      'failed',
      'deploy-revert failed (spawn ./deploy ENOENT) in 0.0 s',
    ],
    [
      'succeeded but did not pass verification',
      succeeded(),
      (w) => void w.checks.failOnce.set('checkout health', 'HTTP 503, expected 200-299'),
      'did not pass verification',
      'rollback_verification: Verification after deploy-revert FAILED: FAILED checkout health: HTTP 503, expected 200-299',
    ],
  ])('the primary %s: the fallback runs, and people are told why', async (_name, primary, arrange, why, line) => {
    const { w, id, requestId } = await setup();
    w.runner.will('deploy-revert', primary);
    arrange(w);
    await runDueJobs(w);
    expect(w.runner.ran).toEqual(['deploy-revert', 'gha-rollback']);
    expect((await w.requests.get(requestId))?.status).toBe('succeeded');
    expect(w.messenger.notices).toContain(
      `${id}: :leftwards_arrow_with_hook: ${requestId}: falling back to \`gha-rollback\` after \`deploy-revert\` ${why}.`,
    );
    const lines = await runLines(w, id);
    expect(lines.some((l) => l.endsWith(line))).toBe(true);
    expect(lines).toContain(`rollback_fallback: Falling back to gha-rollback (runner 2/2) after deploy-revert ${why}`);
    expect(lines.at(-1)).toBe(`rollback_succeeded: Rollback ${requestId} succeeded via gha-rollback and verification passed; monitoring.`);
  });

  it('every runner fails: manual intervention, and the commander and owners are called', async () => {
    const { w, id, requestId } = await setup();
    w.runner.will('deploy-revert', failed());
    w.runner.will('gha-rollback', failed({ exitCode: null, conclusion: 'failure', durationMs: 42_000 }));
    await runDueJobs(w);
    expect((await w.requests.get(requestId))?.status).toBe('failed');
    expect((await runLines(w, id)).at(-1)).toBe(
      'rollback_failed: Rollback failed — manual intervention. deploy-revert: exit 1; gha-rollback: conclusion failure',
    );
    expect(w.messenger.notices.at(-1)).toBe(
      `${id}: :rotating_light: *Rollback failed — manual intervention* for ${id} (checkout, ${requestId}). U0IC U0OWNER\n` +
        '• `deploy-revert`: failed — exit 1\n• `gha-rollback`: failed — conclusion failure',
    );
    expect((await w.service.get(id))?.gates?.recoveryValidatedAt ?? null).toBeNull();
    expect(w.messenger.stabilizedRequests).toEqual([]);
  });

  it('without verification checks it succeeds, and people are told to verify recovery by hand', async () => {
    const { w, id, requestId } = await setup({ verification: false });
    await runDueJobs(w);
    expect((await runLines(w, id)).at(-1)).toBe(
      `rollback_succeeded: Rollback ${requestId} succeeded via deploy-revert; no verification checks are configured, so verify recovery by hand.`,
    );
    expect((await w.service.get(id))?.gates?.recoveryValidatedAt ?? null).toBeNull();
    expect(w.messenger.stabilizedRequests).toEqual([]);
  });

  it('a runner removed from the config since the proposal is not run; the next one is', async () => {
    const { w, id, requestId } = await setup();
    w.config.plan.runners = [FALLBACK];
    await runDueJobs(w);
    expect(w.runner.ran).toEqual(['gha-rollback']);
    expect((await w.requests.get(requestId))?.attempts.map((a) => [a.runner, a.detail])).toEqual([
      ['deploy-revert', 'runner deploy-revert is no longer in the config'],
      ['gha-rollback', 'exit 0; verification passed'],
    ]);
    expect(await runLines(w, id)).toContain(`rollback_fallback: Falling back to gha-rollback (runner 2/2) after deploy-revert failed`);
  });
  it('a stop asked just as the fallback is announced: the fallback never starts, and the rollback is stopped', async () => {
    const { w, id, requestId } = await setup();
    w.runner.will('deploy-revert', failed());
    // The person clicks "Stop rollback" while the bot posts "falling back to …".
    const post = w.messenger.notice.bind(w.messenger);
    w.messenger.notice = async (target, text) => {
      if (plainText(text).includes('falling back')) await w.decisions.stop(requestId, 'U0APPROVER', onItsMessage(requestId));
      await post(target, text);
    };
    await runDueJobs(w);
    expect(w.runner.ran).toEqual(['deploy-revert']);
    expect((await w.requests.get(requestId))?.status).toBe('stopped');
    expect((await runLines(w, id)).at(-1)).toBe(
      `rollback_stopped: Rollback ${requestId} stopped by U0APPROVER: stopped before gha-rollback started. No fallback runs; the system may be partly rolled back.`,
    );
    expect(w.messenger.notices.at(-1)).toContain(`*Rollback ${requestId} stopped* by U0APPROVER: stopped before gha-rollback started.`);
  });
});

describe('RollbackExecution runs a rollback at most once (in-memory ports)', () => {
  it('claiming it again, or a start-up sweep, does not run it twice', async () => {
    const { w, requestId } = await setup();
    expect(await w.execution.queue(requestId)).toBe(false);
    await w.execution.sweep();
    await runDueJobs(w);
    await w.execution.sweep();
    await runDueJobs(w);
    expect(w.runner.ran).toEqual(['deploy-revert']);
    expect(await w.timers.kinds('rollback:')).toEqual([]);
  });

  it.each([
    ['its job is delivered again', 'the bot stopped while `deploy-revert` was running (job delivered again, attempt 2)'],
    ['the bot restarts', 'the bot restarted while `deploy-revert` was running'],
  ])('a rollback whose bot died mid-run: when %s its outcome is unknown, it is never re-run, and people decide', async (how, reason) => {
    const { w, id, requestId } = await setup();
    w.runner.will('deploy-revert', 'hold');
    const [job] = await w.timers.list(`rollback:${requestId}:execute:`);
    const running = runDueJobs(w);
    await w.runner.whenHeld(running);
    // The bot running it is gone: its liveness mark runs out.
    await w.requests.clearAlive(requestId);
    if (how === 'the bot restarts') await w.execution.sweep();
    else await w.execution.execute(job!, { late: false, lateByMs: 0, attempt: 2, fencingToken: 2 });
    expect((await w.requests.get(requestId))?.status).toBe('unknown');
    expect(w.messenger.notices.at(-1)).toBe(
      `${id}: :grey_question: *Rollback ${requestId} outcome unknown* — ${reason}. It is not re-run automatically. U0IC U0OWNER please check checkout and decide (propose again or resolve by hand).`,
    );
    // The old run ends after all: what it did is recorded, the request stays unknown, and no fallback follows.
    w.runner.finish(failed());
    await running;
    expect(w.runner.ran).toEqual(['deploy-revert']);
    expect((await w.requests.get(requestId))?.status).toBe('unknown');
    expect((await runLines(w, id)).map((l) => l.slice(0, l.indexOf(':')))).toEqual([
      'rollback_started',
      'rollback_unknown',
      'rollback_executed',
    ]);
    expect(await runLines(w, id)).toContain(
      `rollback_unknown: Rollback ${requestId} outcome unknown: ${reason}. Not re-run; a person must check and decide.`,
    );
  });
});

describe('RollbackExecution: countdowns and approval windows (in-memory ports)', () => {
  it('an automatic rollback nobody aborted runs when its countdown ends', async () => {
    const w = rollbackWorld({ runners: [REVERT_LAST], autoRollbackDelayMs: 60_000 });
    const id = await openIncident(w);
    const outcome = await w.proposals.proposeAutomatic(id, 'error-spike');
    if (!outcome.ok) throw new Error('not proposed');
    await w.timers.fireDue();
    expect(w.runner.ran).toEqual([]);
    w.clock.advance(60_000);
    await runDueJobs(w);
    expect(w.runner.ran).toEqual(['revert-last']);
    expect((await w.records.decisions(id)).at(-1)).toMatchObject({
      kind: 'approval',
      by: 'auto:error-spike',
      reason: 'automatic rollback rule; nobody aborted within the countdown',
    });
    expect(await rollbackTimeline(w, id)).toContain(
      `rollback_approved: Automatic rollback ${outcome.request.id}: nobody aborted; starting.`,
    );
  });

  it('an approval window that closes expires the request; nothing runs', async () => {
    const w = rollbackWorld();
    const id = await openIncident(w);
    const r = await propose(w, id);
    expect(await w.timers.kinds(`rollback:${r.id}:`)).toEqual([ROLLBACK_TIMERS.expire]);
    w.clock.advance(15 * 60_000);
    await runDueJobs(w);
    expect((await w.requests.get(r.id))?.status).toBe('expired');
    expect((await rollbackTimeline(w, id)).at(-1)).toBe(`rollback_expired: Rollback ${r.id} expired with 0/1 approvals.`);
    expect(w.runner.ran).toEqual([]);
  });
});
