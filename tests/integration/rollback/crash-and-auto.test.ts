import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { claimExecution, startRun, addApproval } from '../../../src/domain/rollback/rollback-request';
import { ROLLBACK_TIMERS } from '../../../src/app/rollback-deps';
import { SlackStandIn } from '../../support/slack-stand-in';
import { waitFor, type RunningBot } from '../../support/start-bot';
import {
  confirmSeverity,
  decide,
  feature,
  incidentJson,
  openIncident,
  propose,
  RECORD_SCRIPT,
  request,
  scratch,
  startRollbackBot,
} from './rollback-harness';
import { plainText } from '../../../src/domain/phrase';

// An automatic rollback has no release from a person: its script finds the previous release itself.
const autoRunner = (log: string) => ({
  kind: 'command',
  name: 'auto-script',
  argv: [RECORD_SCRIPT, log, 'auto', 'previous', '0', '0'],
  timeout: '30s',
});

const running: RunningBot[] = [];
afterAll(async () => {
  for (const bot of running) await bot.stop().catch(() => undefined);
});

/** Moves a proposed request to `running` as a bot that then died would have left it: no liveness mark. */
async function leaveRunning(bot: RunningBot, requestId: string): Promise<number> {
  const requests = feature(bot).requests;
  const token = await requests.nextToken(requestId);
  const now = Date.now();
  for (const step of [
    (r: any) => addApproval(r, 'U0APPROVER', now),
    (r: any) => claimExecution(r, token, now),
    (r: any) => startRun(r, token, now),
  ]) {
    const moved = await requests.update(requestId, step);
    if (!moved.ok) throw new Error(plainText(moved.reason));
  }
  return token;
}

describe('crash safety: a rollback cut short is unknown, never re-run', () => {
  it('on restart with the same prefix, a running execution with no live owner is marked unknown and a person is asked', async () => {
    const files = scratch();
    const slack = await new SlackStandIn().start();
    const first = await startRollbackBot(files.log, {}, { slack });
    const id = await openIncident(first);
    await confirmSeverity(first, id);
    const requestId = await propose(first, id);
    await leaveRunning(first, requestId);
    await first.stop({ cleanup: false });

    const second = await startRollbackBot(files.log, {}, { slack, prefix: first.prefix });
    running.push(second);
    await waitFor(async () => (await request(second, requestId))!.status === 'unknown', 'marked unknown');
    const stored = (await request(second, requestId))!;
    expect(stored.outcomeDetail).toContain('restarted while');
    const incident = await incidentJson(second, id);
    expect(incident.timeline.find((e: any) => e.kind === 'rollback_unknown').text).toContain('Not re-run');
    await waitFor(
      () =>
        slack
          .callsTo('chat.postMessage')
          .some((c) => String(c.args.text).includes('outcome unknown') && String(c.args.text).includes('<@U0OWNER>')),
      'a person is asked',
    );
    // A late Approve click does not start it either.
    expect(await decide(second, 'approve', requestId, 'U0SECOND')).toContain('outcome is unknown');
    await new Promise((r) => setTimeout(r, 500));
    expect(files.lines()).toEqual([]);
  });

  it('the execution job delivered again for a running request with no live owner marks it unknown', async () => {
    const files = scratch();
    const bot = await startRollbackBot(files.log);
    running.push(bot);
    const id = await openIncident(bot);
    await confirmSeverity(bot, id);
    const requestId = await propose(bot, id);
    const token = await leaveRunning(bot, requestId);
    await bot.bot.timers.schedule({
      key: `rollback:${requestId}:execute:${token}`,
      kind: ROLLBACK_TIMERS.execute,
      dueAt: Date.now(),
      payload: { requestId, token },
    });
    await waitFor(async () => (await request(bot, requestId))!.status === 'unknown', 'marked unknown');
    expect((await request(bot, requestId))!.outcomeDetail).toContain('job delivered again');
    expect(files.lines()).toEqual([]);
  });
});

describe('automatic rollback (classifier rule with auto_rollback: true)', () => {
  const rules = (dir: string) => {
    const path = join(dir, 'rules.yml');
    writeFileSync(
      path,
      [
        'defaults: { p95_target_ms: 500 }',
        'label_severity_map: { p1: P1 }',
        'rules:',
        '  - id: critical-data-loss',
        '    severity: P0',
        '    urgency: immediate',
        '    auto_rollback: true',
        "    reason: '{observations}'",
        '    when: { any: [ { signal: data_loss, op: "==", value: true } ] }',
      ].join('\n'),
    );
    return path;
  };

  it('posts "Rolling back checkout in 2 s — Abort" and runs when nobody aborts (persisted countdown)', async () => {
    const files = scratch();
    const bot = await startRollbackBot(
      files.log,
      { autoDelay: '2s', runners: [autoRunner(files.log)] },
      { extraFile: { severity_rules_file: rules(files.dir) } },
    );
    running.push(bot);
    const id = await openIncident(bot, 'P1', { signals: { data_loss: true }, severity: undefined });
    const post = await waitFor(
      () => bot.slack.callsTo('chat.postMessage').find((c) => String(c.args.text).startsWith('Rolling back checkout in')),
      'countdown message',
    );
    expect(post.args.text).toBe('Rolling back checkout in 2 s — Abort');
    expect(JSON.stringify(post.args.blocks)).toContain('rollback_abort');
    const [req] = await feature(bot).requests.forIncident(id);
    expect(req!.status).toBe('countdown');
    expect((await bot.bot.timers.list(`rollback:${req!.id}:countdown`)).length).toBe(1);
    await waitFor(async () => (await request(bot, req!.id))!.status === 'succeeded', 'ran after the countdown', 10_000);
    expect(files.lines()).toHaveLength(1);
    const decisions = (await bot.bot.redis.lrange(`${bot.prefix}rollback-records:${id}:decisions`, 0, -1)).map((j) => JSON.parse(j));
    expect(decisions.map((d) => [d.kind, d.by])).toEqual([
      ['proposal', 'auto:critical-data-loss'],
      ['approval', 'auto:critical-data-loss'],
    ]);
  });

  it('an approver aborts; a non-approver cannot; nothing runs', async () => {
    const files = scratch();
    const bot = await startRollbackBot(
      files.log,
      { autoDelay: '3s', runners: [autoRunner(files.log)] },
      { extraFile: { severity_rules_file: rules(files.dir) } },
    );
    running.push(bot);
    const id = await openIncident(bot, 'P1', { signals: { data_loss: true }, severity: undefined });
    const req = await waitFor(async () => (await feature(bot).requests.forIncident(id))[0], 'auto request');
    expect(await decide(bot, 'abort', req.id, 'U0MALLORY')).toContain('not an approver');
    expect(await decide(bot, 'abort', req.id, 'U0APPROVER')).toContain('aborted by <@U0APPROVER>');
    await new Promise((r) => setTimeout(r, 3500));
    expect((await request(bot, req.id))!.status).toBe('aborted');
    expect(files.lines()).toEqual([]);
    expect((await incidentJson(bot, id)).timeline.map((e: any) => e.kind)).toEqual(
      expect.arrayContaining(['rollback_auto_countdown', 'rollback_denied', 'rollback_aborted']),
    );
  });

  it('a plan that needs a release cannot roll back by itself: skipped, said in Slack and on the timeline', async () => {
    const files = scratch();
    const bot = await startRollbackBot(files.log, { autoDelay: '1s' }, { extraFile: { severity_rules_file: rules(files.dir) } });
    running.push(bot);
    const id = await openIncident(bot, 'P1', { signals: { data_loss: true }, severity: undefined });
    await waitFor(
      () =>
        bot.slack
          .callsTo('chat.postMessage')
          .some((c) => String(c.args.text).includes('Automatic rollback (rule critical-data-loss) not started')),
      'skip notice',
    );
    expect((await incidentJson(bot, id)).timeline.map((e: any) => e.kind)).toContain('rollback_auto_skipped');
    expect(files.lines()).toEqual([]);
  });

  it('off by default: a normal rule opens the incident without any rollback', async () => {
    const files = scratch();
    const bot = await startRollbackBot(files.log);
    running.push(bot);
    const id = await openIncident(bot, 'P1', { signals: { data_loss: true }, severity: undefined });
    await new Promise((r) => setTimeout(r, 500));
    expect((await incidentJson(bot, id)).severity).toBe('P0');
    expect(await feature(bot).requests.forIncident(id)).toEqual([]);
  });
});
