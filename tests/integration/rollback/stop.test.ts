import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/adapters/outbound/slack/ids';
import { waitFor, type RunningBot } from '../../support/start-bot';
import {
  confirmSeverity,
  decide,
  incidentJson,
  openIncident,
  propose,
  recordRunner,
  reply,
  request,
  scratch,
  startRollbackBot,
} from './rollback-harness';

const files = scratch();
let bot: RunningBot;
beforeAll(async () => {
  // A primary that takes 20 s (a deploy going wrong), and a fallback that must never run once stopped.
  bot = await startRollbackBot(files.log, { runners: [recordRunner(files.log, 'primary', 0, 20), recordRunner(files.log, 'fallback')] });
});
afterAll(async () => bot?.stop());

const stop = async (requestId: string, user: string) =>
  (await reply(bot, (await bot.click(ACTIONS.stopRollback, requestId, user)).responseId)).text as string;
/** Processes still running the rollback script for this test's log file. */
const scriptProcesses = () =>
  execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(files.log) && !line.includes('ps -eo'));
const decisions = async (id: string) =>
  (await bot.bot.redis.lrange(`${bot.prefix}rollback-records:${id}:decisions`, 0, -1)).map((j) => JSON.parse(j));

async function running() {
  const id = await openIncident(bot, 'P1');
  await confirmSeverity(bot, id);
  const requestId = await propose(bot, id, 'U0REQ');
  expect(await decide(bot, 'approve', requestId, 'U0APPROVER')).toContain('Approved');
  await waitFor(
    async () => ((await request(bot, requestId))?.status === 'running' && scriptProcesses().length > 0) || undefined,
    'runner started',
    10_000,
  );
  return { id, requestId };
}

describe('Stop rollback', () => {
  it('an approver stops a running rollback: the runner is killed, no fallback runs, and Slack and the timeline say who and what', {
    timeout: 30_000,
  }, async () => {
    const { id, requestId } = await running();
    // The running message offers Stop (with a confirmation), carrying only the request id.
    const offered = await waitFor(
      () => bot.slack.callsTo('chat.update').find((c) => JSON.stringify(c.args.blocks ?? '').includes(ACTIONS.stopRollback)),
      'Stop button on the running rollback',
    );
    const button = offered.args.blocks.at(-1).elements.find((e: any) => e.action_id === ACTIONS.stopRollback);
    expect(button).toMatchObject({
      value: requestId,
      style: 'danger',
      confirm: expect.objectContaining({ confirm: expect.objectContaining({ text: 'Stop it' }) }),
    });

    // Not everyone may stop it; the attempt is recorded.
    expect(await stop(requestId, 'U0MALLORY')).toContain('Only approvers of checkout rollbacks, or whoever proposed it, can stop it.');
    expect((await request(bot, requestId))!.status).toBe('running');
    expect((await decisions(id)).filter((d) => d.kind === 'denial').map((d) => [d.by, d.action])).toEqual([
      ['U0MALLORY', expect.stringMatching(/^stop rollback checkout/)],
    ]);

    const clicked = Date.now();
    expect(await stop(requestId, 'U0SECOND')).toContain(`Stopping ${requestId}`);
    const stopped = await waitFor(
      async () => ((await request(bot, requestId))?.status === 'stopped' ? request(bot, requestId) : undefined),
      'stopped',
      10_000,
    );
    // Far below the script's 20 s: it was killed, not waited for.
    expect(Date.now() - clicked).toBeLessThan(8_000);
    expect(stopped!.outcomeDetail).toBe('primary-script was killed mid-run');
    expect(stopped!.attempts.map((a) => [a.runner, a.outcome])).toEqual([['primary-script', 'cancelled']]);
    expect(scriptProcesses()).toEqual([]);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(files.lines().map((l) => l.split(' ')[0])).toEqual(['primary']);

    const timeline = (await incidentJson(bot, id)).timeline;
    expect(timeline.find((e: any) => e.kind === 'rollback_stop_requested').actor).toBe('U0SECOND');
    expect(timeline.find((e: any) => e.kind === 'rollback_stopped').text).toMatch(
      new RegExp(`Rollback ${requestId} stopped by <@U0SECOND>: primary-script was killed mid-run. No fallback runs`),
    );
    expect(timeline.map((e: any) => e.kind)).not.toContain('rollback_fallback');
    expect((await decisions(id)).find((d) => d.kind === 'stop')).toMatchObject({ by: 'U0SECOND' });
    await waitFor(
      () =>
        bot.slack.callsTo('chat.postMessage').find((c) => String(c.args.text).includes(`*Rollback ${requestId} stopped* by <@U0SECOND>`)),
      'stop notice',
    );
    const last = await waitFor(
      () =>
        bot.slack
          .callsTo('chat.update')
          .filter((c) => JSON.stringify(c.args.blocks ?? '').includes('*Stopped* by <@U0SECOND>'))
          .at(-1),
      'message shows Stopped',
    );
    expect(JSON.stringify(last.args.blocks)).not.toContain(ACTIONS.stopRollback);

    // A second stop, and a stop of a finished rollback, are told where it stands.
    expect(await stop(requestId, 'U0APPROVER')).toContain(`${requestId} was stopped by <@U0SECOND>`);
  });

  it('whoever proposed it may stop it too; a rollback not yet approved has nothing to stop', { timeout: 30_000 }, async () => {
    const id = await openIncident(bot, 'P1');
    await confirmSeverity(bot, id);
    const waiting = await propose(bot, id, 'U0REQ');
    expect(await stop(waiting, 'U0APPROVER')).toContain(`${waiting} is not running yet; nothing to stop (reject it instead).`);
    expect(await stop('INC-19990101-001-R9', 'U0APPROVER')).toContain('No rollback request INC-19990101-001-R9');
    expect(await decide(bot, 'reject', waiting, 'U0REQ')).toContain('withdrawn');

    const { requestId } = await running();
    expect(await stop(requestId, 'U0REQ')).toContain(`Stopping ${requestId}`);
    await waitFor(async () => (await request(bot, requestId))?.status === 'stopped' || undefined, 'stopped by the requester', 10_000);
    expect(scriptProcesses()).toEqual([]);
  });
});
