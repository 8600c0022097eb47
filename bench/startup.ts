// Benchmark — start-up and memory of the compiled bot against running the TypeScript sources:
// cold start to /readyz (Redis up), RSS idle, and RSS with 1,000 open incidents, for
// `node dist/main.js` (npm start) and `tsx src/main.ts` (what npm start ran before the build).
// Run: npm run build && npx tsx bench/startup.ts   (INCIDENTS=1000, STARTS=5). Target: cold start ≤ 1.5 s.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALERT_TOKEN, benchPrefix, botEnv, cleanupPrefix } from './support/bench-env';
import { freePort } from '../tests/support/processes';
import { startSlackStandInProcess } from './support/slack-stand-in-client';

const INCIDENTS = Number(process.env.INCIDENTS ?? 1000);
const STARTS = Number(process.env.STARTS ?? 5);
const slack = await startSlackStandInProcess();
const config = join(mkdtempSync(join(tmpdir(), 'ib-bench-')), 'config.yml');
// Announcements are paced at 1/s per channel in production; 1 ms here so 1,000 are drawn in the run.
writeFileSync(
  config,
  JSON.stringify({ services: [{ name: 'checkout', owners: ['U0OWNER'] }], alerts: { slack_min_interval: '1ms', correlate: false } }),
);

const ways = {
  'node dist/main.js': [process.execPath, 'dist/main.js'],
  'tsx src/main.ts': ['node_modules/.bin/tsx', 'src/main.ts'],
} as const;
type Way = keyof typeof ways;

async function start(way: Way, prefix: string): Promise<{ child: ChildProcess; port: number; readyMs: number }> {
  const port = await freePort();
  const { BOT_FILE_CONFIG: _unused, ...env } = botEnv({ slackApiUrl: slack.apiUrl, prefix, port });
  const [command, ...args] = ways[way];
  const started = performance.now();
  const child = spawn(command, args, { env: { ...process.env, ...env, CONFIG: config, LOG_LEVEL: 'warn' }, stdio: 'ignore' });
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${way} exited ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { child, port, readyMs: performance.now() - started };
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await gone;
}

/** RSS of the node process behind `child` (for tsx, its node child), in MB. */
function rssMb(child: ChildProcess): number {
  const pids = [child.pid!, ...descendants(child.pid!)];
  return Math.max(
    ...pids.map((pid) => {
      try {
        return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
      } catch {
        return 0;
      }
    }),
  );
}
function descendants(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    /* gone */
  }
  return children.flatMap((c) => [c, ...descendants(c)]);
}
/** Processes in the tree: npm → tsx → node is three, node dist/main.js one. */
const processCount = (child: ChildProcess) => 1 + descendants(child.pid!).length;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rows: string[] = [];
for (const way of Object.keys(ways) as Way[]) {
  const prefix = benchPrefix('startup');
  const starts: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    const { child, readyMs } = await start(way, prefix);
    starts.push(readyMs);
    await stop(child);
  }
  const { child, port } = await start(way, prefix);
  await new Promise((r) => setTimeout(r, 2000));
  const idle = rssMb(child);
  const processes = processCount(child);
  slack.reset();
  for (let i = 0; i < INCIDENTS; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, INCIDENTS - i) }, (_, j) =>
        fetch(`http://127.0.0.1:${port}/alerts/generic`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERT_TOKEN}` },
          body: JSON.stringify({
            dedup_key: `start-${i + j}`,
            title: `startup incident ${i + j}`,
            service: 'checkout',
            signals: { error_rate: 11 + ((i + j) % 10) },
          }),
        }).then((r) => r.arrayBuffer()),
      ),
    );
  }
  for (const deadline = Date.now() + 180_000; Date.now() < deadline; ) {
    if ((await slack.calls()).filter((c) => c.method === 'chat.postMessage').length >= INCIDENTS) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  await new Promise((r) => setTimeout(r, 3000));
  const loaded = rssMb(child);
  await stop(child);
  await cleanupPrefix(prefix);
  rows.push(
    `| \`${way}\` | ${median(starts).toFixed(0)} (${Math.min(...starts).toFixed(0)}–${Math.max(...starts).toFixed(0)}) | ${processes} | ${idle.toFixed(0)} | ${loaded.toFixed(0)} |`,
  );
}

console.log(`startup — cold start to /readyz (median of ${STARTS}, min–max), RSS in MB, Redis up`);
console.log(`| started as | cold start ms | processes | RSS idle | RSS with ${INCIDENTS} open incidents |\n|---|---|---|---|---|`);
console.log(rows.join('\n'));
await slack.stop();
process.exit(0);
