import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningBot } from '../../support/start-bot';
import { allIncidents, generic, postAlert, startAlertBot } from './alert-harness';

// With one delivery processed at a time and none allowed to wait, a burst must be answered
// 503 + Retry-After for what could not be taken, and whatever was answered 202 is stored.
let bot: RunningBot;
beforeAll(async () => {
  bot = await startAlertBot({ file: { services: [{ name: 'checkout' }], alerts: { max_concurrent_intake: 1, max_queued_intake: 0 } } });
});
afterAll(async () => {
  await bot?.stop();
});

it('a burst beyond the intake queue gets 503 busy with Retry-After; every accepted alert is recorded, none twice', async () => {
  const answers = await Promise.all(
    Array.from({ length: 30 }, (_, i) => postAlert(bot, 'generic', generic(`burst-${i}`, { signals: { error_rate: 12 } }))),
  );
  const accepted = answers.filter((a) => a.status === 202);
  const busy = answers.filter((a) => a.status === 503);
  expect(accepted.length + busy.length).toBe(30);
  expect(busy.length).toBeGreaterThan(0);
  for (const b of busy) {
    expect(b.headers.get('retry-after')).toBe('1');
    expect(b.json).toMatchObject({ error: 'busy' });
  }
  const incidents = await allIncidents(bot);
  expect(incidents).toHaveLength(accepted.length);
  expect(new Set(incidents.map((i: any) => i.title)).size).toBe(accepted.length);
  // The senders retry what was refused: afterwards every alert has its one incident.
  for (let i = 0; i < 30; i += 1) {
    if (answers[i]!.status === 503)
      expect((await postAlert(bot, 'generic', generic(`burst-${i}`, { signals: { error_rate: 12 } }))).status).toBe(202);
  }
  expect(await allIncidents(bot)).toHaveLength(30);
});
