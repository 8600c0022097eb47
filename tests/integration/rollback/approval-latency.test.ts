import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/adapters/outbound/slack/ids';
import { waitFor, type RunningBot } from '../../support/start-bot';
import { confirmSeverity, feature, openIncident, propose, request, scratch, startRollbackBot } from './rollback-harness';

// A measurement, not an assertion: time from sending a signed Approve click to the rollback
// script's process existing (the runner's onStarted hook), over RUNS rollbacks.
const RUNS = 30;
const files = scratch();
let bot: RunningBot;
beforeAll(async () => {
  bot = await startRollbackBot(files.log, {});
});
afterAll(async () => bot?.stop());

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

describe('approval → runner start latency', () => {
  it(`measures p50/p99 over ${RUNS} approvals`, async () => {
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const id = await openIncident(bot);
      await confirmSeverity(bot, id);
      const requestId = await propose(bot, id);
      let startedAt = 0;
      const off = feature(bot).onRunnerStarted(() => (startedAt = performance.now()));
      const sent = performance.now();
      await bot.click(ACTIONS.approveRollback, requestId, 'U0APPROVER');
      await waitFor(() => startedAt > 0, 'runner started');
      off();
      samples.push(startedAt - sent);
      await waitFor(async () => (await request(bot, requestId))!.status === 'succeeded', 'finished');
    }
    const sorted = [...samples].sort((a, b) => a - b);
    const p50 = percentile(sorted, 50);
    const p99 = percentile(sorted, 99);
    console.log(samples.map((s) => s.toFixed(0)).join(' '));
    console.log(
      `approval → runner start over ${RUNS} runs: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, min ${sorted[0]!.toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms`,
    );
    expect(samples).toHaveLength(RUNS);
  }, 120_000);
});
