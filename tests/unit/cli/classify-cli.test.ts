import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runClassifyCli } from '../../../src/adapters/inbound/cli/classify';
import type { CliIo } from '../../../src/adapters/inbound/cli/cli-io';
import { runCli } from '../../../src/adapters/inbound/cli/run-cli';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = (path: string) => `${root}tests/fixtures/alerts/${path}`;

/** An in-memory CliIo: files from a map (falling back to disk for fixtures), captured output. */
function fakeIo(options: { stdin?: string; files?: Record<string, string>; tty?: boolean } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdin: async () => options.stdin ?? '',
    stdinIsTTY: options.tty ?? false,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readFile: async (path) => {
      if (options.files && path in options.files) return options.files[path]!;
      return readFile(path, 'utf8');
    },
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

describe('incident-bot classify', () => {
  it('prints each alert and the group decision for a captured Alertmanager request', async () => {
    const t = fakeIo();
    const code = await runClassifyCli([fixture('alertmanager/am025_webhook_v4_firing_amtool.json')], t.io);
    expect(code).toBe(0);
    expect(t.err()).toBe('');
    expect(t.out()).toContain('alertmanager payload, receiver incident-bot: 1 alert');
    expect(t.out()).toContain('alert 1: [firing] disk 95% full');
    expect(t.out()).toContain('service:      db');
    expect(t.out()).toContain('because:      P2 because label severity=warning (no signal rule matched)');
    expect(t.out()).toContain('group {}:{alertname="DiskFull", service="db"}: P2 (from alert 1)');
  });

  it('reads standard input with "-" and classifies signals', async () => {
    const t = fakeIo({ stdin: JSON.stringify({ dedup_key: 'k', title: 'Checkout errors', signals: { error_rate: 18 } }) });
    expect(await runClassifyCli(['-'], t.io)).toBe(0);
    expect(t.out()).toContain('severity:     P1, urgency urgent (rollback within 4h), auto-rollback no');
    expect(t.out()).toContain('P1 because error_rate 18% > 15% (rule urgent-error-rate)');
  });

  it('says when no alert is firing', async () => {
    const t = fakeIo();
    expect(await runClassifyCli([fixture('alertmanager/am025_webhook_v4_resolved.json')], t.io)).toBe(0);
    expect(t.out()).toContain('no firing alerts');
  });

  it('prints JSON with --json', async () => {
    const t = fakeIo();
    expect(await runClassifyCli([fixture('pagerduty/incident_triggered.json'), '--json'], t.io)).toBe(0);
    const printed = JSON.parse(t.out());
    expect(printed.batch.source).toBe('pagerduty');
    expect(printed.decisions).toHaveLength(1);
    expect(printed.group).toMatchObject({
      severity: 'P1',
      alertIndex: 0,
      explanation: 'P1 because label severity=P1 (no signal rule matched)',
    });
  });

  it('uses --rules for per-service targets', async () => {
    const rules =
      'services:\n  checkout: { p95_target_ms: 2000 }\nrules:\n  - { id: slow, severity: P2, urgency: planned, when: { any: [{ signal: p95_ms, op: ">", ratio_of: p95_target_ms, value: 1 }] } }\n';
    const payload = JSON.stringify({ dedup_key: 'k', title: 't', service: 'checkout', signals: { p95_ms: 1500 } });
    const t = fakeIo({ files: { 'rules.yml': rules, 'a.json': payload } });
    expect(await runClassifyCli(['a.json', '--rules', 'rules.yml'], t.io)).toBe(0);
    expect(t.out()).toContain('P3 because no rule matched');
    const slower = fakeIo({ files: { 'rules.yml': rules, 'a.json': payload.replace('1500', '2500') } });
    expect(await runClassifyCli(['a.json', '--rules', 'rules.yml'], slower.io)).toBe(0);
    expect(slower.out()).toContain('P2 because p95_ms 2500 ms > 2000 ms (1× target 2000 ms) (rule slow)');
  });

  it.each<[string, string[], Record<string, string>, string]>([
    [
      'invalid payload field',
      ['a.json'],
      { 'a.json': JSON.stringify({ dedup_key: 'k', title: 't', signals: { error_rate: 180 } }) },
      'signals.error_rate:',
    ],
    ['not JSON', ['a.json'], { 'a.json': '{nope' }, 'invalid payload: not JSON'],
    ['unknown format', ['a.json'], { 'a.json': '{"hello":1}' }, 'alert.unknown_format'],
    [
      'format hint that does not fit',
      ['a.json', '--format', 'pagerduty'],
      { 'a.json': '{"dedup_key":"k","title":"t"}' },
      'event: required',
    ],
    [
      'invalid rules',
      ['a.json', '--rules', 'r.yml'],
      {
        'a.json': '{"dedup_key":"k","title":"t"}',
        'r.yml': 'rules:\n  - { id: x, severity: P9, urgency: none, when: { any: [{ signal: data_loss, op: "==", value: true }] } }\n',
      },
      'r.yml: invalid severity rules: rules[0].severity',
    ],
    ['rules not YAML', ['a.json', '--rules', 'r.yml'], { 'a.json': '{"dedup_key":"k","title":"t"}', 'r.yml': 'rules: [' }, 'not YAML'],
  ])('exits 1 on %s', async (_name, argv, files, fragment) => {
    const t = fakeIo({ files });
    expect(await runClassifyCli(argv, t.io)).toBe(1);
    expect(t.err()).toContain(fragment);
    expect(t.out()).toBe('');
  });

  it.each<[string, string[], boolean, string]>([
    ['unknown flag', ['--bogus'], false, "Unknown option '--bogus'"],
    ['two files', ['a.json', 'b.json'], false, 'expected at most one payload file'],
    ['bad --format', ['a.json', '--format', 'nagios'], false, '--format must be one of alertmanager, pagerduty, generic'],
    ['missing file', ['/definitely/not/here.json'], false, 'cannot read /definitely/not/here.json'],
    ['missing rules file', ['a.json', '--rules', '/nope.yml'], false, 'cannot read rules /nope.yml'],
    ['nothing piped into a terminal', [], true, 'no payload'],
  ])('exits 2 on %s', async (_name, argv, tty, fragment) => {
    const t = fakeIo({ tty });
    expect(await runClassifyCli(argv, t.io)).toBe(2);
    expect(t.err()).toContain(fragment);
    expect(t.err()).toContain('usage: incident-bot classify');
  });

  it('prints help with --help', async () => {
    const t = fakeIo();
    expect(await runClassifyCli(['--help'], t.io)).toBe(0);
    expect(t.out()).toContain('usage: incident-bot classify');
  });
});

describe('runCli', () => {
  it.each([
    [[], 2, 'no command given'],
    [['frobnicate'], 2, 'unknown command "frobnicate"'],
  ])('%j exits %i', async (argv, code, fragment) => {
    const t = fakeIo();
    expect(await runCli(argv, t.io)).toBe(code);
    expect(t.err()).toContain(fragment);
  });

  it('dispatches classify', async () => {
    const t = fakeIo();
    expect(await runCli(['classify', fixture('generic/checkout_latency.json')], t.io)).toBe(0);
    expect(t.out()).toContain('P1 because p95_ms 1200 ms > 1000 ms (2× target 500 ms) (rule urgent-p95)');
  });
});

describe('bin/incident-bot.mjs (real process)', () => {
  const bin = `${root}bin/incident-bot.mjs`;

  it('classifies a captured Alertmanager request and exits 0', () => {
    const run = spawnSync(process.execPath, [bin, 'classify', fixture('alertmanager/prom242_am025_e2e_firing.json')], {
      cwd: root,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('alert 1: [firing] checkout 5xx ratio 0.2');
    expect(run.stdout).toContain('P0 because label severity=critical (no signal rule matched)');
  });

  it('exits 1 naming the field for an invalid payload on stdin', () => {
    const input = JSON.stringify({ dedup_key: 'k', title: 't', signals: { error_rat: 1 } });
    const run = spawnSync(process.execPath, [bin, 'classify', '-'], { cwd: root, encoding: 'utf8', input, timeout: 20_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('signals: unknown signal "error_rat"');
  });
});
