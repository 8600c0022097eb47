import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/adapters/outbound/slack/ids';
import { waitFor, type RunningBot } from '../../support/start-bot';
import {
  confirmSeverity,
  decide,
  feature,
  healthServer,
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
let health: Awaited<ReturnType<typeof healthServer>>;

beforeAll(async () => {
  health = await healthServer(500);
  bot = await startRollbackBot(files.log, {
    twoForP0: false,
    runners: [
      recordRunner(files.log, 'primary', 0, 1.5),
      // The fallback "deploys" the previous release through the service's own hook.
      {
        kind: 'http',
        name: 'deploy-hook',
        url: health.deployUrl,
        body: { release: '{previous_release}', incident: '{incident_id}' },
        timeout: '5s',
      },
    ],
    verification: [{ kind: 'http', name: 'checkout health', url: health.url, expect_status: 200, times: 2, interval: '100ms' }],
  });
});
afterAll(async () => {
  await bot?.stop();
  await health?.close();
});

describe('alert → P0 → approval → runner → verification fails → fallback → verification passes → monitoring', () => {
  it('runs the whole rollback and leaves every step on the timeline and in Slack', async () => {
    const id = await openIncident(bot, 'P0');
    expect((await incidentJson(bot, id)).severity).toBe('P0');
    // The announcement offers "Propose rollback" for a service with a plan.
    await waitFor(
      () => bot.slack.callsTo('chat.postMessage').some((c) => JSON.stringify(c.args.blocks ?? '').includes(ACTIONS.proposeRollback)),
      'announcement with Propose rollback',
    );
    await confirmSeverity(bot, id);
    const requestId = await propose(bot, id, 'U0REQ', 'v41');
    expect(await decide(bot, 'approve', requestId, 'U0APPROVER')).toContain('Approved');

    const done = await waitFor(
      async () => {
        const r = await request(bot, requestId);
        return r && ['succeeded', 'failed', 'unknown'].includes(r.status) ? r : null;
      },
      'rollback finished',
      15_000,
    );
    expect(done.status).toBe('succeeded');
    expect(done.attempts.map((a) => [a.runner, a.outcome, a.verification])).toEqual([
      ['primary-script', 'succeeded', 'failed'],
      ['deploy-hook', 'succeeded', 'passed'],
    ]);
    expect(files.lines()).toHaveLength(1);
    expect(files.lines()[0]).toMatch(/^primary v41 \d+$/);

    const incident = await incidentJson(bot, id);
    expect(incident.status).toBe('monitoring');
    const kinds = incident.timeline.map((e: any) => e.kind);
    for (const kind of [
      'opened',
      'severity_confirmed',
      'rollback_proposed',
      'rollback_approved',
      'rollback_started',
      'rollback_executed',
      'rollback_verification',
      'rollback_fallback',
      'rollback_succeeded',
      'status',
    ])
      expect(kinds).toContain(kind);
    expect(kinds.filter((k: string) => k === 'rollback_executed')).toHaveLength(2);
    expect(incident.timeline.find((e: any) => e.kind === 'rollback_verification').text).toMatch(/FAILED.*HTTP 500/);

    const records = feature(bot);
    expect(records).toBeDefined();
    const executions = (await bot.bot.redis.lrange(`${bot.prefix}rollback-records:${id}:executions`, 0, -1)).map((j) => JSON.parse(j));
    expect(executions.map((e) => [e.runner, e.kind, e.outcome])).toEqual([
      ['primary-script', 'script', 'succeeded'],
      ['deploy-hook', 'http', 'succeeded'],
    ]);
    expect(executions[0].exitCode).toBe(0);
    const verifications = (await bot.bot.redis.lrange(`${bot.prefix}rollback-records:${id}:verifications`, 0, -1)).map((j) =>
      JSON.parse(j),
    );
    expect(verifications.map((v) => v.passed)).toEqual([false, true]);
    const decisions = (await bot.bot.redis.lrange(`${bot.prefix}rollback-records:${id}:decisions`, 0, -1)).map((j) => JSON.parse(j));
    expect(decisions.map((d) => [d.kind, d.by])).toEqual([
      ['proposal', 'U0REQ'],
      ['approval', 'U0APPROVER'],
    ]);
    const stored = await bot.bot.store.get(id);
    expect(stored!.gates).toMatchObject({
      readinessPassedAt: expect.any(Number),
      decisionRecordedAt: expect.any(Number),
      recoveryValidatedAt: expect.any(Number),
    });

    // Slack: the fallback was announced, the blocks were redrawn to the outcome, resolution offered.
    const posts = bot.slack.callsTo('chat.postMessage').map((c) => JSON.stringify(c.args));
    expect(posts.some((p) => p.includes('falling back to') && p.includes('deploy-hook'))).toBe(true);
    await waitFor(
      () =>
        bot.slack
          .callsTo('chat.postMessage')
          .some((c) => JSON.stringify(c.args).includes('System stabilized') && JSON.stringify(c.args).includes(ACTIONS.resolveStabilized)),
      'resolution offered',
    );
    await waitFor(
      () => bot.slack.callsTo('chat.update').some((c) => JSON.stringify(c.args.blocks).includes('Rolled back and verified')),
      'blocks show the outcome',
    );
    expect(bot.slack.callsTo('chat.update').some((c) => /Running.*(step|elapsed)/.test(JSON.stringify(c.args.blocks)))).toBe(true);

    // A late click is told it already ran; "resolve?" resolves.
    expect(await decide(bot, 'approve', requestId, 'U0SECOND')).toContain('already ran and succeeded');
    const resolve = await bot.click(ACTIONS.resolveStabilized, id, 'U0COMMANDER');
    await reply(bot, resolve.responseId);
    await waitFor(async () => (await incidentJson(bot, id)).status === 'resolved', 'resolved');
  });

  it('every runner failing flags manual intervention and mentions the owners', async () => {
    health.set(500);
    const b = scratch();
    const other = await startRollbackBot(b.log, {
      runners: [recordRunner(b.log, 'primary', 3), recordRunner(b.log, 'fallback', 0)],
      verification: [{ kind: 'http', name: 'checkout health', url: health.url, expect_status: 200, times: 1 }],
    });
    try {
      const id = await openIncident(other);
      await confirmSeverity(other, id);
      const requestId = await propose(other, id);
      await decide(other, 'approve', requestId, 'U0APPROVER');
      const done = await waitFor(
        async () => {
          const r = await request(other, requestId);
          return r && ['succeeded', 'failed'].includes(r.status) ? r : null;
        },
        'finished',
        15_000,
      );
      expect(done.status).toBe('failed');
      expect(b.lines().map((l) => l.split(' ')[0])).toEqual(['primary', 'fallback']);
      const incident = await incidentJson(other, id);
      expect(incident.status).not.toBe('monitoring');
      expect(incident.timeline.find((e: any) => e.kind === 'rollback_failed').text).toMatch(
        /manual intervention.*exit code 3.*verification failed/,
      );
      const notice = await waitFor(
        () =>
          other.slack
            .callsTo('chat.postMessage')
            .map((c) => String(c.args.text))
            .find((t) => t.includes('manual intervention')),
        'failure notice',
      );
      expect(notice).toContain('<@U0OWNER>');
    } finally {
      await other.stop();
    }
  });
});
