// Sandbox bench: (1) `npm run sandbox` start → "Sandbox workspace:" printed (Redis already up),
// against the floor of loading the bot's own modules in the same run; (2) the time from the
// bot's Web API call (the emulator stamps it) to the message on the page (a MutationObserver
// in Chromium stamps it), pushed over the WebSocket. Run: npx tsx bench/sandbox.ts
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { SANDBOX_PREFIX, startSandbox } from '../src/sandbox/start-sandbox';
import { launchBrowser } from '../tests/support/browser';
import { freePort } from '../tests/support/processes';
import { TEST_REDIS_URL, createTestRedis, deleteKeys } from '../tests/support/test-redis';

const RUNS = Number(process.env.RUNS ?? 3);
const MESSAGES = Number(process.env.MESSAGES ?? 20);

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return `p50 ${q(0.5).toFixed(0)} ms, p95 ${q(0.95).toFixed(0)} ms, min ${s[0]!.toFixed(0)}, max ${s.at(-1)!.toFixed(0)} (n=${s.length})`;
};

function timeUntil(args: string[], env: Record<string, string>, marker: RegExp): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stderr.on('data', (d) => (out += String(d)));
    child.stdout.on('data', (d) => {
      out += String(d);
      if (marker.test(out)) {
        const ms = performance.now() - started;
        // The floor's child may have exited already: then there is no 'exit' left to wait for.
        if (child.exitCode !== null || child.signalCode !== null) return resolve(ms);
        child.kill('SIGTERM');
        child.once('exit', () => resolve(ms));
      }
    });
    child.once('exit', (code) => (marker.test(out) ? undefined : reject(new Error(`exited ${code}: ${out}`))));
  });
}

async function readiness(): Promise<void> {
  const ready: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    floor.push(await timeUntil(['--import', 'tsx', 'bench/support/load-bot-modules.ts'], {}, /LOADED/));
    ready.push(
      await timeUntil(['--import', 'tsx', 'src/sandbox/main.ts'], { SANDBOX_PORT: String(await freePort()) }, /Sandbox workspace: http/),
    );
    console.log(`  run ${i + 1}: floor ${floor.at(-1)!.toFixed(0)} ms, sandbox ready ${ready.at(-1)!.toFixed(0)} ms`);
  }
  console.log(`npm run sandbox → ready:          ${stats(ready)}`);
  console.log(`floor, loading the bot's modules: ${stats(floor)}`);
}

async function pushLatency(): Promise<void> {
  const sandbox = await startSandbox({
    port: await freePort(),
    redisUrl: TEST_REDIS_URL,
    prefix: `${SANDBOX_PREFIX}bench-${randomUUID().slice(0, 8)}:`,
    triggerTtlMs: 60_000,
    botLog: () => undefined,
  });
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    await page.goto(sandbox.url);
    await page.locator('#live', { hasText: 'live' }).waitFor();
    // A string, not a function: it runs in the page, whose DOM types this Node program does not have.
    await page.evaluate(`(() => {
      const seen = (window.seen = {});
      new MutationObserver((records) => {
        for (const r of records) for (const n of r.addedNodes) if (n.dataset && n.dataset.ts && !(n.dataset.ts in seen)) seen[n.dataset.ts] = Date.now();
      }).observe(document.getElementById('messages'), { childList: true });
    })()`);
    for (let i = 0; i < MESSAGES; i++) {
      const res = await fetch(`${sandbox.url}/sandbox/command`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'U0ONCALL', channel: 'C0INCIDENTS', text: `open P3 bench incident ${i}` }),
      });
      if (!res.ok) throw new Error(await res.text());
      await new Promise((r) => setTimeout(r, 1500));
    }
    await new Promise((r) => setTimeout(r, 2000));
    const seen = (await page.evaluate('window.seen')) as Record<string, number>;
    const posted = sandbox.workspace.messages.filter((m) => m.channel === 'C0INCIDENTS' && !m.visibleTo && !m.thread_ts);
    const latencies = posted.filter((m) => seen[m.ts]).map((m) => seen[m.ts]! - m.postedAt);
    console.log(`bot's chat.postMessage → on the page: ${stats(latencies)}; ${posted.length - latencies.length} not seen`);
  } finally {
    await browser.close();
    await sandbox.stop();
    const { redis, cleanup } = await createTestRedis('bench-cleanup');
    await deleteKeys(redis, sandbox.prefix);
    await cleanup();
  }
}

console.log(
  `load average at start: ${(await import('node:os'))
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
await readiness();
await pushLatency();
