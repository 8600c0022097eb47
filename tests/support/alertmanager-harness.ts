import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './processes';
import { waitFor } from './start-bot';

export const ALERTMANAGER_BINARY = '/usr/bin/prometheus-alertmanager';
export const alertmanagerPresent = existsSync(ALERTMANAGER_BINARY);

/** A real Alertmanager on loopback only, its webhook receiver pointed at the bot with a bearer token. */
export class AlertmanagerHarness {
  private child?: ChildProcess;
  private dir = '';
  private readonly output: string[] = [];
  url = '';
  /** host:port, for Prometheus's alerting config. */
  address = '';

  constructor(private readonly options: { botUrl: string; token: string }) {}

  async start(): Promise<this> {
    this.dir = mkdtempSync(join(tmpdir(), 'ib-alertmanager-'));
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
      `      - url: ${this.options.botUrl}/alerts/alertmanager`,
      '        send_resolved: true',
      '        http_config:',
      '          authorization:',
      `            credentials: ${this.options.token}`,
      '',
    ].join('\n');
    writeFileSync(join(this.dir, 'alertmanager.yml'), config);
    const port = await freePort();
    this.child = spawn(
      ALERTMANAGER_BINARY,
      [
        `--config.file=${join(this.dir, 'alertmanager.yml')}`,
        `--storage.path=${join(this.dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child.stdout!.on('data', (d) => this.output.push(String(d)));
    this.child.stderr!.on('data', (d) => this.output.push(String(d)));
    this.address = `127.0.0.1:${port}`;
    this.url = `http://${this.address}`;
    await waitFor(
      async () => (await fetch(`${this.url}/-/ready`).catch(() => null))?.ok,
      `Alertmanager ready (${this.output.join('').slice(-500)})`,
      30_000,
    );
    return this;
  }

  async cleanup(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
