// Benchmark 3 — storm shape: 10,000 alerts in 10 s over 20 groups → 20 incidents, every
// alert counted, and Slack calls per channel per second (from the stand-in's log) ≤ 1 sustained.
// Run: npx tsx bench/storm.ts   (ALERTS=10000 SECONDS=10 GROUPS=20 override)
import { ALERT_TOKEN, alertmanagerBody, benchPrefix, botEnv, cleanupPrefix } from './support/bench-env';
import { freePort, startChild } from '../tests/support/processes';
import { startSlackStandInProcess } from './support/slack-stand-in-client';

const ALERTS = Number(process.env.ALERTS ?? 10_000);
const SECONDS = Number(process.env.SECONDS ?? 10);
const GROUPS = Number(process.env.GROUPS ?? 20);
const PER_REQUEST = 10;

const slack = await startSlackStandInProcess();
const prefix = benchPrefix('storm');
const bot = await startChild('tests/support/bot-process.ts', botEnv({ slackApiUrl: slack.apiUrl, prefix, port: await freePort() }));
const url = `http://127.0.0.1:${bot.port}/alerts/alertmanager`;

// Paced sender: ALERTS alerts spread evenly over SECONDS, PER_REQUEST per request, groups round-robin.
const requests = ALERTS / PER_REQUEST;
const started = Date.now();
let failures = 0;
const inflight: Promise<void>[] = [];
for (let i = 0; i < requests; i += 1) {
  const due = started + (i * SECONDS * 1000) / requests;
  const wait = due - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const group = i % GROUPS;
  const first = Math.floor(i / GROUPS) * PER_REQUEST;
  inflight.push(
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERT_TOKEN}` },
      body: alertmanagerBody(group, first, PER_REQUEST),
    })
      .then((r) => {
        if (r.status >= 300) failures += 1;
        return r.arrayBuffer();
      })
      .then(
        () => undefined,
        () => {
          failures += 1;
        },
      ),
  );
  if (inflight.length > 200) await Promise.all(inflight.splice(0, 100));
}
await Promise.all(inflight);
const sendSeconds = (Date.now() - started) / 1000;

// Slack allows ~1 message per second per channel, so 20 new announcements take ~20 s to
// draw: wait (bounded) until every incident is announced and Slack calls have stopped.
type Listed = { incidents: { alerts?: { total: number }; slack: { announcement: unknown } }[] };
const list = async () =>
  (await (
    await fetch(`http://127.0.0.1:${bot.port}/api/incidents?limit=500`, { headers: { authorization: 'Bearer bench-api-token' } })
  ).json()) as Listed;
let api = await list();
let lastCount = -1;
for (const deadline = Date.now() + 90_000; Date.now() < deadline; ) {
  await new Promise((r) => setTimeout(r, 2000));
  api = await list();
  const count = (await slack.calls()).length;
  if (api.incidents.every((i) => i.slack.announcement) && count === lastCount) break;
  lastCount = count;
}
const allDrawnSeconds = (Date.now() - started) / 1000 - 2;
const counted = api.incidents.reduce((a, i) => a + (i.alerts?.total ?? 0), 0);
// Posts address the channel by name, updates by the id Slack answered with: one channel.
const calls = (await slack.calls())
  .filter((c) => c.method === 'chat.postMessage' || c.method === 'chat.update')
  .map((c) => ({ ...c, channel: c.channel === '#incident-response' ? 'C0INCIDENT' : c.channel }));
const perChannelSecond = new Map<string, number>();
for (const c of calls) {
  const key = `${c.channel}@${Math.floor((c.at - started) / 1000)}`;
  perChannelSecond.set(key, (perChannelSecond.get(key) ?? 0) + 1);
}
const channels = new Set(calls.map((c) => c.channel));
const span = Math.max(1, (Math.max(...calls.map((c) => c.at)) - Math.min(...calls.map((c) => c.at))) / 1000);
const maxInOneSecond = Math.max(0, ...perChannelSecond.values());

console.log(`storm: ${ALERTS} alerts sent in ${sendSeconds.toFixed(1)} s over ${GROUPS} groups (${failures} failed requests)`);
console.log(`incidents: ${api.incidents.length} (expected ${GROUPS}); alerts counted: ${counted} (expected ${ALERTS})`);
console.log(
  `all ${api.incidents.filter((i) => i.slack.announcement).length} announcements and final updates drawn ${allDrawnSeconds.toFixed(0)} s after the storm began`,
);
console.log(
  `Slack posts+updates: ${calls.length} on ${channels.size} channel(s) over ${span.toFixed(1)} s → ${(calls.length / span / channels.size).toFixed(2)} per channel per second sustained, max ${maxInOneSecond} in any one second`,
);
const ok =
  api.incidents.length === GROUPS &&
  api.incidents.every((i) => i.slack.announcement) &&
  counted === ALERTS &&
  failures === 0 &&
  maxInOneSecond <= 1;
console.log(ok ? 'PASS' : 'FAIL');

await bot.stop();
await slack.stop();
await cleanupPrefix(prefix);
process.exit(ok ? 0 : 1);
