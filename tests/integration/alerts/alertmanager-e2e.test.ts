import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor, type RunningBot } from '../../support/start-bot';
import { ALERT_TOKEN, allIncidents, incident, lastDrawn, startAlertBot } from './alert-harness';

const BINARY = '/usr/bin/prometheus-alertmanager';
const present = existsSync(BINARY);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let child: ChildProcess | undefined;
let bot: RunningBot | undefined;
let dir: string | undefined;
const output: string[] = [];

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((resolve) => child!.once('exit', resolve));
  }
  await bot?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Starts Alertmanager on loopback only, its webhook receiver pointed at the bot with the bearer token. */
async function startAlertmanager(botUrl: string): Promise<string> {
  dir = mkdtempSync(join(tmpdir(), 'ib-alertmanager-'));
  const config = [
    'global:',
    '  resolve_timeout: 1m',
    'route:',
    '  receiver: incident-bot',
    "  group_by: ['alertname']",
    '  group_wait: 1s',
    '  group_interval: 1s',
    '  repeat_interval: 1h',
    'receivers:',
    '  - name: incident-bot',
    '    webhook_configs:',
    `      - url: ${botUrl}/alerts/alertmanager`,
    '        send_resolved: true',
    '        http_config:',
    '          authorization:',
    `            credentials: ${ALERT_TOKEN}`,
    '',
  ].join('\n');
  writeFileSync(join(dir, 'alertmanager.yml'), config);
  const port = await freePort();
  child = spawn(
    BINARY,
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=info',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.on('data', (d) => output.push(String(d)));
  child.stderr!.on('data', (d) => output.push(String(d)));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => (await fetch(`${url}/-/ready`).catch(() => null))?.ok,
    `Alertmanager ready (${output.join('').slice(-500)})`,
    15_000,
  );
  return url;
}

async function postToAlertmanager(url: string, alerts: unknown[]): Promise<void> {
  const res = await fetch(`${url}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(alerts),
  });
  expect(res.status, await res.text()).toBe(200);
}

describe('end to end with the real Prometheus Alertmanager', () => {
  it.skipIf(!present)(
    `alerts posted to Alertmanager open one incident with its severity and announcement, and resolving offers "resolve incident?"${present ? '' : ` (skipped: ${BINARY} is not installed; apt-get install prometheus-alertmanager)`}`,
    async () => {
      bot = await startAlertBot({ file: { services: [{ name: 'checkout' }], alerts: { slack_min_interval: '100ms' } } });
      const am = await startAlertmanager(bot.baseUrl);
      const startsAt = new Date().toISOString();
      const alert = (instance: string, endsAt?: string) => ({
        labels: { alertname: 'CheckoutErrorRate', service: 'checkout', severity: 'warning', instance },
        annotations: { summary: 'Checkout error rate above 15%', error_rate: '18%' },
        startsAt,
        ...(endsAt ? { endsAt } : {}),
        generatorURL: 'http://prometheus.local/graph',
      });
      await postToAlertmanager(am, [alert('a'), alert('b')]);

      const [opened] = await waitFor(
        async () => {
          const list = await allIncidents(bot!);
          return list.length ? list : null;
        },
        'an incident from Alertmanager',
        15_000,
      );
      const id = opened.id;
      await waitFor(async () => (await incident(bot!, id)).alerts?.firing === 2, 'both alerts counted', 10_000);
      const shown = await incident(bot!, id);
      expect(shown).toMatchObject({
        source: 'alertmanager',
        openedBy: 'alert:alertmanager',
        service: 'checkout',
        severity: 'P1',
        title: 'Checkout error rate above 15%',
      });
      expect(shown.severityReason).toBe('P1 because error_rate 18% > 15% (rule urgent-error-rate)');
      const announced = await waitFor(() => lastDrawn(bot!, id), 'the announcement');
      expect(announced).toContain('[P1] Checkout error rate above 15%');
      expect(announced).toContain('error_rate 18%');

      // Resolve: endsAt in the past; Alertmanager sends the resolved notification on its next flush.
      const past = new Date(Date.now() - 1000).toISOString();
      await postToAlertmanager(am, [alert('a', past), alert('b', past)]);
      await waitFor(async () => (await incident(bot!, id)).alerts?.allResolvedAt, 'all alerts resolved', 15_000);
      const resolved = await incident(bot!, id);
      expect(resolved.status).toBe('investigating');
      expect(resolved.alerts).toMatchObject({ firing: 0, resolved: 2 });
      const offer = await waitFor(
        () => (lastDrawn(bot!, id)?.includes('All alerts resolved') ? lastDrawn(bot!, id) : null),
        'the offer in Slack',
        10_000,
      );
      expect(offer).toContain('resolve incident?');
      expect(offer).toContain('incident_resolve_alerts_resolved');
      expect(await allIncidents(bot!)).toHaveLength(1);
    },
    45_000,
  );
});
