// Takes a CPU profile of the bot under signed /incident load (CMD=list|help …) or alert ingest (CMD=ingest) into /tmp/prof;
// open the .cpuprofile in Chrome DevTools or summarise it by self time.
// Run: npx tsx bench/profile.ts
import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import { alertmanagerBody, benchPrefix, botEnv, cleanupPrefix, signedCommand } from './support/bench-env';
import { freePort } from '../tests/support/processes';
import { startSlackStandInProcess } from './support/slack-stand-in-client';
const slack = await startSlackStandInProcess();
const prefix = benchPrefix('prof');
const port = await freePort();
const child = spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir=/tmp/prof', '--import', 'tsx', 'tests/support/bot-process.ts'], {
  env: { ...process.env, ...botEnv({ slackApiUrl: slack.apiUrl, prefix, port }) },
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise((r) => child.stdout!.on('data', (d) => String(d).includes('READY') && r(undefined)));
for (let i = 0; i < 20; i++)
  await fetch(`http://127.0.0.1:${port}/alerts/generic`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench-alert-token' },
    body: JSON.stringify({ dedup_key: `s${i}`, title: `t${i}`, signals: { error_rate: 5 } }),
  });
// CMD=ingest: Alertmanager bodies as in bench/ingest.ts (5 alerts of one of 50 groups, half repeats).
let n = 0;
const ingest = {
  method: 'POST' as const,
  path: '/alerts/alertmanager',
  headers: { 'content-type': 'application/json', authorization: 'Bearer bench-alert-token' },
  setupRequest: (req: object) => ({ ...req, body: alertmanagerBody(n % 50, Math.floor(n++ / 50) * 3, 5) }),
};
const request = process.env.CMD === 'ingest' ? ingest : signedCommand(process.env.CMD ?? 'list', `${slack.url}respond/x`);
const r = await autocannon({
  url: `http://127.0.0.1:${port}`,
  connections: process.env.CMD === 'ingest' ? 20 : 10,
  duration: Number(process.env.DURATION ?? 5),
  requests: [request],
});
console.log('rps', r.requests.average, 'p50', r.latency.p50, 'p99', r.latency.p99);
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
await slack.stop();
await cleanupPrefix(prefix);
process.exit(0);
