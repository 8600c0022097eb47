import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SlackStandIn } from '../../support/slack-stand-in';
import { TEST_SIGNING_SECRET, commandBody, postToSlackEndpoint } from '../../support/slack-requests';
import { waitFor } from '../../support/start-bot';
import { createTestRedis, TEST_REDIS_URL } from '../../support/test-redis';
import { notices, pause, slaFile } from './sla-harness';

const BOT = fileURLToPath(new URL('../../support/bot-process.ts', import.meta.url));
const CYCLES = 8;
const INCIDENTS = 5;
// Longer than the worst downtime seen (boot ~3 s + down): a longer outage would rightly collapse two reminders into one.
const EVERY_MS = 8_000;

function spawnBot(env: Record<string, string>): Promise<{ child: ChildProcess; port: number; readyAt: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', BOT], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timeout = setTimeout(() => reject(new Error('bot did not start within 15 s')), 15_000);
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const ready = /READY (\d+)/.exec(out);
      if (ready) {
        clearTimeout(timeout);
        resolve({ child, port: Number(ready[1]), readyAt: Date.now() });
      }
    });
    child.on('exit', (code) => code !== null && code !== 0 && reject(new Error(`bot exited ${code}`)));
  });
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

describe('SLA reminders across kill -9 of the bot process', () => {
  const children: ChildProcess[] = [];
  let slack: SlackStandIn;
  let cleanup: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await Promise.all(children.map(killHard));
    await slack?.stop();
    await cleanup?.();
  });

  it(`${CYCLES} kill/restart cycles while reminders come due: none lost, none posted twice`, { timeout: 90_000 }, async () => {
    slack = await new SlackStandIn().start();
    const test = await createTestRedis('sla-kill');
    cleanup = test.cleanup;
    const env = {
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: test.prefix,
      LOG_LEVEL: 'silent',
      PORT: '0',
      BOT_FILE_CONFIG: JSON.stringify(slaFile({ P2: { update_every: `${EVERY_MS}ms` } })),
    };
    const starts: number[] = [];
    let current = await spawnBot(env);
    children.push(current.child);
    starts.push(current.readyAt);

    const incidents: { id: string; createdAt: number }[] = [];
    for (let n = 0; n < INCIDENTS; n++) {
      const responseId = randomUUID();
      await postToSlackEndpoint(
        `http://127.0.0.1:${current.port}`,
        commandBody({ text: `open P2 kill test ${n}`, response_url: slack.responseUrl(responseId) }),
      );
      const reply = await waitFor(() => slack.callsTo('response_url').find((c) => c.args.responseId === responseId), 'open reply');
      const id = /INC-\d{8}-\d{3}/.exec(reply.args.text)![0];
      const raw = await test.redis.hget(`${test.prefix}incident:${id}`, 'json');
      incidents.push({ id, createdAt: JSON.parse(raw!).createdAt });
      await pause(500); // spread the due times over the cadence
    }

    const downs: [number, number][] = [];
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      await pause(800 + Math.random() * 800);
      await killHard(current.child);
      const killedAt = Date.now();
      await pause(100 + Math.random() * 400);
      current = await spawnBot(env);
      children.push(current.child);
      starts.push(current.readyAt);
      downs.push([killedAt, current.readyAt]);
    }
    const end = Date.now() + 3_000;
    await pause(end - Date.now());

    let lost = 0;
    let duplicates = 0;
    let expected = 0;
    const delays: number[] = [];
    const lateness: number[] = [];
    for (const { id, createdAt } of incidents) {
      const posts = notices(slack, { incident: id, kind: 'update_due' });
      const byDue = new Map<number, number[]>();
      for (const p of posts) {
        const dueAt = Number(String(p.args.metadata.event_payload.timer).split(':').pop());
        byDue.set(dueAt, [...(byDue.get(dueAt) ?? []), p.at]);
      }
      for (let due = createdAt + EVERY_MS; due <= end - 1_500; due += EVERY_MS) {
        expected++;
        const at = byDue.get(due) ?? [];
        // Reminders that came due while the bot was down collapse into one catch-up (the latest due
        // by the time it is back): one whose successor was also due before the restart is superseded.
        const superseded = downs.some(([down, up]) => due >= down && due + EVERY_MS <= up);
        if (at.length === 0 && !superseded) lost++;
        if (at.length > 1) duplicates += at.length - 1;
        if (at.length) {
          // Fire time minus the later of the due time and the start of the bot that was up then.
          const startedBefore = Math.max(...starts.filter((s) => s <= at[0]!));
          delays.push(at[0]! - Math.max(due, startedBefore));
          lateness.push(at[0]! - due);
        }
      }
      for (const [due, at] of byDue) if (due > end - 1_500 && at.length > 1) duplicates += at.length - 1;
    }
    delays.sort((a, b) => a - b);
    lateness.sort((a, b) => a - b);
    const dueWhileDown = incidents
      .flatMap(({ createdAt }) => Array.from({ length: 10 }, (_, k) => createdAt + (k + 1) * EVERY_MS))
      .filter((d) => downs.some(([a, b]) => d >= a && d < b)).length;
    console.log(
      `SLA kill test: ${CYCLES} kills of the bot, ${expected} reminders expected (${dueWhileDown} came due while it was down): lost ${lost}, duplicates ${duplicates}; ` +
        `delay after due-or-restart p50 ${percentile(delays, 50)} ms, p99 ${percentile(delays, 99)} ms, max ${delays.at(-1)} ms; lateness vs due p50 ${percentile(lateness, 50)} ms, max ${lateness.at(-1)} ms; ` +
        `down ${downs.map(([a, b]) => b - a).join('/')} ms`,
    );
    expect(expected).toBeGreaterThanOrEqual(INCIDENTS * 3);
    expect(dueWhileDown).toBeGreaterThan(0);
    expect(lost).toBe(0);
    expect(duplicates).toBe(0);
    expect(delays.at(-1)!).toBeLessThan(5_000);
  });
});
