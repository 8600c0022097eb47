import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, type RunningBot } from '../../support/start-bot';
import { confirmSeverity, decide, incidentJson, openIncident, propose, request, scratch, startRollbackBot } from './rollback-harness';

const FENCED = resolve('tests/fixtures/scripts/fenced-rollback.sh');
const files = scratch();
const state = join(files.dir, 'fence-state');
let bot: RunningBot;
beforeAll(async () => {
  bot = await startRollbackBot(files.log, {
    runners: [{ kind: 'command', name: 'fenced', argv: [FENCED, state, files.log], timeout: '30s' }],
  });
});
afterAll(async () => bot?.stop());

describe('fencing to the edge', () => {
  it('each execution hands its token to the script; a stale executor (a newer token already acted, its writes lost to this Redis) is refused at the edge', async () => {
    const id = await openIncident(bot);
    await confirmSeverity(bot, id);
    const first = await propose(bot, id);
    expect(await decide(bot, 'approve', first, 'U0APPROVER')).toMatch(/Approved/);
    await waitFor(async () => (await request(bot, first))!.status === 'succeeded', 'first run');
    expect(files.lines()).toEqual([`rolled back ${first} with token 1`]);

    // A failover: another executor already acted with token 2, and this Redis lost its writes
    // (the approval, the claim, the counter), so this bot claims token 1 again.
    const other = await openIncident(bot);
    await confirmSeverity(bot, other);
    const stale = await propose(bot, other);
    writeFileSync(state, '2\n');
    expect(await decide(bot, 'approve', stale, 'U0APPROVER')).toMatch(/Approved/);
    const done = await waitFor(async () => {
      const r = await request(bot, stale);
      return r && ['failed', 'succeeded'].includes(r.status) ? r : null;
    }, 'stale execution ended');
    expect(done.execution!.token).toBe(1);
    expect(done.status).toBe('failed');
    expect(done.outcomeDetail).toMatch(/exit code 75/);
    expect(files.lines()).toHaveLength(1);
    const timeline = (await incidentJson(bot, other)).timeline.map((e: any) => JSON.stringify(e)).join('\n');
    expect(timeline).toMatch(/stale executor: token 1, already acted on 2/);
  });
});

describe('the bot refuses to start a runner whose request is not in the state it claimed', () => {
  const more = scratch();
  const go = join(more.dir, 'go');
  let second: RunningBot;
  beforeAll(async () => {
    second = await startRollbackBot(more.log, {
      runners: [
        { kind: 'command', name: 'primary', argv: [resolve('tests/fixtures/scripts/fail-when-told.sh'), more.log, go], timeout: '60s' },
        { kind: 'command', name: 'fallback', argv: [FENCED, join(more.dir, 'state'), more.log], timeout: '30s' },
      ],
    });
  });
  afterAll(async () => second?.stop());

  it('a claim it never saw (a newer token) while the primary ran: the fallback is not started', async () => {
    const id = await openIncident(second);
    await confirmSeverity(second, id);
    const requestId = await propose(second, id);
    expect(await decide(second, 'approve', requestId, 'U0APPROVER')).toMatch(/Approved/);
    await waitFor(() => more.lines().includes('started 1'), 'primary running with token 1', 20_000);
    // Another executor claimed the request meanwhile (its write lost to us): the token moved on.
    await second.bot.redis.incr(`${second.prefix}rollback:fence:${requestId}`);
    writeFileSync(go, '');
    await waitFor(
      async () => (await incidentJson(second, id)).timeline.some((e: any) => e.kind === 'rollback_not_started'),
      'fallback refused',
      20_000,
    );
    const timeline = (await incidentJson(second, id)).timeline;
    expect(timeline.find((e: any) => e.kind === 'rollback_not_started').text).toMatch(/fallback not started .*newer execution \(token 2\)/);
    expect(more.lines()).toEqual(['started 1']);
    expect(second.logs.some((l) => l.includes('runner not started') && l.includes('fence.newer_token'))).toBe(true);
  });
});
