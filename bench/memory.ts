// Benchmark 5b — memory: RSS of the bot with 1,000 open incidents (opened by generic alerts,
// each announced and with its SLA timers planned), against a bare Bolt app in the same run.
// Run: npx tsx bench/memory.ts   (INCIDENTS=1000 override). Target: ≤ 200 MB.
import { ALERT_TOKEN, benchPrefix, botEnv, cleanupPrefix } from './support/bench-env';
import { freePort, startChild } from '../tests/support/processes';
import { startSlackStandInProcess } from './support/slack-stand-in-client';

const INCIDENTS = Number(process.env.INCIDENTS ?? 1000);
const slack = await startSlackStandInProcess();
const prefix = benchPrefix('memory');
// Announcements are paced at 1/s per channel in production; here 1 ms so 1,000 are drawn in the run.
const bot = await startChild(
  'tests/support/bot-process.ts',
  botEnv({
    slackApiUrl: slack.apiUrl,
    prefix,
    port: await freePort(),
    file: { services: [{ name: 'checkout' }], alerts: { slack_min_interval: '1ms', correlate: false } },
  }),
);
const bare = await startChild('bench/support/bare-bolt.ts', {
  SLACK_SIGNING_SECRET: 'test-signing-secret-0123456789',
  PORT: String(await freePort()),
});
const idle = { bot: bot.rssMb(), bare: bare.rssMb() };

for (let i = 0; i < INCIDENTS; i += 50) {
  await Promise.all(
    Array.from({ length: Math.min(50, INCIDENTS - i) }, (_, j) =>
      fetch(`http://127.0.0.1:${bot.port}/alerts/generic`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERT_TOKEN}` },
        body: JSON.stringify({
          dedup_key: `mem-${i + j}`,
          title: `memory incident ${i + j}`,
          service: 'checkout',
          signals: { error_rate: 11 + ((i + j) % 10) },
        }),
      }).then((r) => r.arrayBuffer()),
    ),
  );
}
const api = async () =>
  (await (
    await fetch(`http://127.0.0.1:${bot.port}/api/incidents?limit=500`, { headers: { authorization: 'Bearer bench-api-token' } })
  ).json()) as { incidents: { slack: { announcement: unknown } }[] };
for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
  const posts = (await slack.calls()).filter((c) => c.method === 'chat.postMessage').length;
  if (posts >= INCIDENTS) break;
  await new Promise((r) => setTimeout(r, 1000));
}
const open = (await api()).incidents.length;
await new Promise((r) => setTimeout(r, 3000));
const loaded = { bot: bot.rssMb(), bare: bare.rssMb() };
// `/incident list`-like work over all of them, then measure again.
for (let i = 0; i < 20; i += 1) await api();
const afterReads = bot.rssMb();

console.log(`memory — ${INCIDENTS} incidents opened (${open}+ open listed), RSS in MB`);
console.log(`| process | idle | with ${INCIDENTS} open incidents | after 20 list reads |\n|---|---|---|---|`);
console.log(`| bare Bolt | ${idle.bare.toFixed(0)} | ${loaded.bare.toFixed(0)} | |`);
console.log(`| bot | ${idle.bot.toFixed(0)} | ${loaded.bot.toFixed(0)} | ${afterReads.toFixed(0)} |`);
console.log(`bot RSS ${Math.max(loaded.bot, afterReads).toFixed(0)} MB (target ≤ 200)`);

await bot.stop();
await bare.stop();
await slack.stop();
await cleanupPrefix(prefix);
process.exit(0);
