import { afterAll, describe, expect, it } from 'vitest';
import { SlackStandIn } from '../../support/slack-stand-in';
import { startBot, waitFor, type RunningBot } from '../../support/start-bot';
import { notices, openIncident, pause, slaFile } from './sla-harness';

const running: RunningBot[] = [];
afterAll(async () => {
  for (const b of running) await b.stop().catch(() => undefined);
});
const start = async (...args: Parameters<typeof startBot>) => {
  const b = await startBot(...args);
  running.push(b);
  return b;
};

function perTimer(slack: SlackStandIn, incident: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of notices(slack, { incident, kind: 'update_due' })) {
    const key = c.args.metadata.event_payload.timer as string;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

describe('SLA timers across restarts and replicas', () => {
  it('a restart between scheduling and the due time: the reminder fires once, on time', { timeout: 15_000 }, async () => {
    const slack = await new SlackStandIn().start();
    const file = slaFile({ P1: { update_every: '2s' } });
    const first = await start({ slack, file });
    const { id, openedAt } = await openIncident(first, 'open P1 survives a restart');
    await first.stop({ cleanup: false });
    const second = await start({ slack, file, prefix: first.prefix });
    const reminder = await waitFor(() => notices(slack, { incident: id, kind: 'update_due' })[0], 'reminder after restart', 5000);
    expect(reminder.at - openedAt).toBeGreaterThanOrEqual(2000);
    expect(reminder.at - openedAt).toBeLessThan(2800);
    expect(reminder.args.text).not.toContain('late by');
    await pause(700);
    expect(notices(slack, { incident: id, kind: 'update_due' })).toHaveLength(1);
    await second.stop({ cleanup: false });
  });

  it('downtime across due times: each missed clock fires once at start, marked late; missed reminders collapse into one', {
    timeout: 40_000,
  }, async () => {
    const slack = await new SlackStandIn().start();
    // Reminders every 2 s: the restart lands 1.5 s before the next one is due, room for a slow start.
    const file = slaFile({ P0: { first_response: '1s', update_every: '2s' } });
    const first = await start({ slack, file });
    const { id, openedAt } = await openIncident(first, 'open P0 every bot down');
    await first.stop({ cleanup: false });
    await pause(4500 - (Date.now() - openedAt)); // first response due at +1 s; reminders at +2, +4 s: all while down
    const restartedAt = Date.now();
    await start({ slack, file, prefix: first.prefix });
    const startedAt = Date.now();
    const breach = await waitFor(() => notices(slack, { incident: id, kind: 'first_response_breach' })[0], 'late breach', 10_000);
    // Fired by the start-up catch-up, not by a later tick (a loaded machine can make the start itself slow).
    expect(breach.at - startedAt).toBeLessThan(3000);
    expect(breach.args.text).toMatch(/_\(late by \d+s\)_/);
    const dueOf = (c: { args: Record<string, any> }): number => Number(c.args.metadata.event_payload.timer.split(':').pop());
    await waitFor(
      () => notices(slack, { incident: id, kind: 'update_due' }).some((c) => dueOf(c) < restartedAt) || undefined,
      'catch-up reminder',
      10_000,
    );
    await pause(1300); // room for a duplicate catch-up to show itself
    const reminders = notices(slack, { incident: id, kind: 'update_due' });
    const dues = reminders.map(dueOf);
    // The reminders due while every bot was down (+2, +4 s) collapse into one catch-up (the
    // latest); later ones come on time. Judged by due time, not by how fast the restart was.
    expect(dues.filter((due) => due < restartedAt)).toHaveLength(1);
    expect(dues.filter((due) => due < restartedAt)[0]! - openedAt).toBeGreaterThanOrEqual(3000);
    expect(new Set(dues).size).toBe(dues.length);
    expect(notices(slack, { incident: id, kind: 'first_response_breach' })).toHaveLength(1);
  });

  it('two app instances on one Redis prefix: each reminder once', { timeout: 20_000 }, async () => {
    const slack = await new SlackStandIn().start();
    const file = slaFile({ P1: { update_every: '1s' } });
    const a = await start({ slack, file });
    const b = await start({ slack, file, prefix: a.prefix });
    const ids: string[] = [];
    for (let n = 0; n < 4; n++) ids.push((await openIncident(n % 2 ? b : a, `open P1 replica test ${n}`)).id);
    await pause(4300);
    await Promise.all([a.bot.timers.stop(2000), b.bot.timers.stop(2000)]);
    let total = 0;
    for (const id of ids) {
      const counts = perTimer(slack, id);
      expect(
        [...counts.values()].every((n) => n === 1),
        `${id}: ${JSON.stringify([...counts])}`,
      ).toBe(true);
      expect(counts.size).toBeGreaterThanOrEqual(3);
      total += counts.size;
    }
    const byReplica = [a, b].map(
      (r) =>
        r.logs
          .join('')
          .split('\n')
          .filter((l) => l.includes('SLA timer fired')).length,
    );
    console.log(`two replicas: ${total} reminders, each once; fired by replica A ${byReplica[0]}, B ${byReplica[1]}`);
  });
});
