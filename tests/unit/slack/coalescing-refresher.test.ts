import { describe, expect, it } from 'vitest';
import { CoalescingRefresher, type DrawKind, type DrawResult } from '../../../src/adapters/outbound/slack/coalescing-refresher';
import { createLogger } from '../../../src/logger';

const log = createLogger('silent');

function harness(minIntervalMs: number, answer: (kind: DrawKind, id: string, n: number) => DrawResult = () => ({ outcome: 'drawn' })) {
  const drawn: { kind: DrawKind; id: string; at: number }[] = [];
  const refresher = new CoalescingRefresher({
    minIntervalMs,
    log,
    draw: async (kind, id) => {
      drawn.push({ kind, id, at: Date.now() });
      return answer(kind, id, drawn.length);
    },
  });
  return { refresher, drawn };
}

describe('CoalescingRefresher', () => {
  it('coalesces many refreshes of one incident into few draws, paced by the interval', async () => {
    const { refresher, drawn } = harness(100);
    for (let i = 0; i < 50; i += 1) refresher.refresh('C1', 'INC-1');
    await new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < 50; i += 1) refresher.refresh('C1', 'INC-1');
    await refresher.idle();
    expect(drawn).toHaveLength(2);
    expect(drawn[1]!.at - drawn[0]!.at).toBeGreaterThanOrEqual(95);
  });

  it('announcements go first and resolve their waiters; channels are paced independently; aliases share a lane', async () => {
    const { refresher, drawn } = harness(60);
    refresher.alias('C1', '#incidents');
    refresher.refresh('C1', 'INC-1');
    refresher.refresh('C1', 'INC-2');
    const posted = refresher.announce('#incidents', 'INC-3');
    refresher.refresh('C2', 'INC-9');
    await posted;
    await refresher.idle();
    const c1 = drawn.filter((d) => d.id !== 'INC-9');
    expect(c1.map((d) => `${d.kind}:${d.id}`)).toEqual(['refresh:INC-1', 'announce:INC-3', 'refresh:INC-2']);
    expect(c1[2]!.at - c1[0]!.at).toBeGreaterThanOrEqual(110);
    expect(drawn.find((d) => d.id === 'INC-9')!.at - drawn[0]!.at).toBeLessThan(50);
  });

  it('retries after Retry-After and skipped draws do not spend the turn', async () => {
    const { refresher, drawn } = harness(10, (_kind, id, n) =>
      n === 1 ? { outcome: 'retry', retryAfterMs: 150 } : id === 'gone' ? { outcome: 'skipped' } : { outcome: 'drawn' },
    );
    refresher.refresh('C1', 'INC-1');
    await new Promise((r) => setTimeout(r, 5));
    refresher.refresh('C1', 'gone');
    await refresher.idle();
    const inc1 = drawn.filter((d) => d.id === 'INC-1');
    expect(inc1).toHaveLength(2);
    expect(inc1[1]!.at - inc1[0]!.at).toBeGreaterThanOrEqual(145);
  });

  it('stop() releases anyone waiting for an announcement', async () => {
    const { refresher } = harness(10_000);
    refresher.refresh('C1', 'INC-1');
    await new Promise((r) => setTimeout(r, 10));
    const waiting = refresher.announce('C1', 'INC-2');
    refresher.stop();
    await expect(waiting).resolves.toMatch(/stopping/);
  });
});
