import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScriptRollbackRunner } from '../../../src/adapters/outbound/runners/script-rollback-runner';
import type { CommandRunnerSpec } from '../../../src/domain/rollback/rollback-plan';
import type { RunProgress } from '../../../src/domain/rollback/rollback-runner';

const SCRIPTS = resolve(__dirname, '../../fixtures/scripts');
const logger = pino({ level: 'silent' });

function spec(argv: string[], overrides: Partial<CommandRunnerSpec> = {}): CommandRunnerSpec {
  return { kind: 'command', name: 'test', argv, timeoutMs: 10_000, graceMs: 300, outputCapBytes: 64 * 1024, ...overrides };
}

/**
 * True when the pid no longer runs. A zombie counts as gone: in this container PID 1 does not
 * reap orphans, so killed grandchildren linger as <defunct> entries that kill(pid, 0) still finds.
 */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    return /^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return true;
  }
}

async function run(
  runner: ScriptRollbackRunner,
  s: CommandRunnerSpec,
  opts: { placeholders?: Record<string, string>; signal?: AbortSignal } = {},
) {
  const progress: RunProgress[] = [];
  const result = await runner.run({
    spec: s,
    placeholders: opts.placeholders ?? {},
    signal: opts.signal ?? new AbortController().signal,
    onProgress: (p) => progress.push(p),
  });
  return { result, progress };
}

describe('ScriptRollbackRunner', () => {
  let dir: string;
  const leftovers: number[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'runner-'));
  });
  afterEach(() => {
    for (const pid of leftovers.splice(0)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('succeeds and reports ::step lines in order, with stdout and stderr in the excerpt', async () => {
    const pids: number[] = [];
    const runner = new ScriptRollbackRunner({ logger, onStarted: (pid) => pids.push(pid) });
    const { result, progress } = await run(runner, spec(['sh', join(SCRIPTS, 'rollback-success.sh')]));
    expect(result.outcome).toBe('succeeded');
    expect(result.exitCode).toBe(0);
    expect(progress.map((p) => p.step)).toEqual([
      { index: 1, total: 3, label: 'Create backup' },
      { index: 2, total: 3, label: 'Restore previous release' },
      { index: 3, total: 3, label: 'Verify restoration' },
    ]);
    expect(result.outputExcerpt).toContain('progress on stderr');
    expect(result.outputExcerpt).toContain('done');
    expect(pids).toHaveLength(1);
    expect(pids[0]).toBeGreaterThan(0);
  });

  it('fails with the exit code', async () => {
    const runner = new ScriptRollbackRunner({ logger });
    const { result } = await run(runner, spec(['sh', join(SCRIPTS, 'rollback-fail.sh')]));
    expect(result.outcome).toBe('failed');
    expect(result.exitCode).toBe(3);
    expect(result.error).toBe('exit code 3');
    expect(result.outputExcerpt).toContain('release not found');
  });

  it('fails cleanly when the program does not exist', async () => {
    const runner = new ScriptRollbackRunner({ logger });
    const { result } = await run(runner, spec([join(dir, 'no-such-program')]));
    expect(result.outcome).toBe('failed');
    expect(result.error).toMatch(/could not start .*ENOENT/);
  });

  it('on timeout kills the whole process group, grandchild included (it ignores SIGTERM)', async () => {
    const runner = new ScriptRollbackRunner({ logger });
    const timeoutMs = 600;
    const graceMs = 300;
    const started = performance.now();
    const pending = run(runner, spec(['sh', join(SCRIPTS, 'rollback-hang.sh'), dir], { timeoutMs, graceMs }));
    // Collect the pids while they run, so the assertion can prove they were alive and then died.
    const pidFiles = ['leader.pid', 'child.pid', 'grandchild.pid'].map((f) => join(dir, f));
    for (let i = 0; i < 100 && !pidFiles.every((f) => existsSync(f) && readFileSync(f, 'utf8').trim()); i++) await sleep(10);
    const pids = pidFiles.map((f) => Number(readFileSync(f, 'utf8').trim()));
    leftovers.push(...pids);
    expect(pids.every((pid) => !isGone(pid))).toBe(true);

    const { result, progress } = await pending;
    const elapsed = performance.now() - started;
    expect(result.outcome).toBe('timed_out');
    expect(progress[0]?.step?.label).toBe('Waiting forever');
    expect(elapsed).toBeGreaterThanOrEqual(timeoutMs);
    expect(elapsed).toBeLessThan(timeoutMs + graceMs + 1_500);
    for (const pid of pids) expect(isGone(pid), `pid ${pid} still running`).toBe(true);
  });

  it('does not wait out the grace period when the group obeys SIGTERM', async () => {
    const runner = new ScriptRollbackRunner({ logger });
    const started = performance.now();
    const { result } = await run(runner, spec(['sh', '-c', 'sleep 300 & sleep 300 & wait'], { timeoutMs: 300, graceMs: 5_000 }));
    expect(result.outcome).toBe('timed_out');
    expect(performance.now() - started).toBeLessThan(300 + 1_500);
  });

  it('on abort stops the group and reports cancelled', async () => {
    const runner = new ScriptRollbackRunner({ logger });
    const controller = new AbortController();
    const pending = run(runner, spec(['sh', join(SCRIPTS, 'rollback-hang.sh'), dir], { timeoutMs: 30_000 }), { signal: controller.signal });
    const gcFile = join(dir, 'grandchild.pid');
    for (let i = 0; i < 100 && !(existsSync(gcFile) && readFileSync(gcFile, 'utf8').trim()); i++) await sleep(10);
    const grandchild = Number(readFileSync(gcFile, 'utf8').trim());
    leftovers.push(grandchild);
    const abortedAt = performance.now();
    controller.abort();
    const { result } = await pending;
    expect(result.outcome).toBe('cancelled');
    expect(performance.now() - abortedAt).toBeLessThan(300 + 1_500);
    expect(isGone(grandchild)).toBe(true);
  });

  it('caps a flood of output to the tail and says how much was dropped', async () => {
    const runner = new ScriptRollbackRunner({ logger });
    const cap = 16 * 1024;
    const { result } = await run(runner, spec(['sh', join(SCRIPTS, 'rollback-flood.sh')], { outputCapBytes: cap }));
    expect(result.outcome).toBe('succeeded');
    const [note, ...rest] = result.outputExcerpt.split('\n');
    const dropped = Number(/\[… (\d+) earlier bytes truncated\]/.exec(note!)?.[1]);
    const kept = Buffer.byteLength(rest.join('\n'));
    expect(kept).toBeLessThanOrEqual(cap);
    expect(kept).toBeGreaterThan(cap - 100);
    // 4,000,000 bytes + "\n" + "FLOOD-END-MARKER\n"
    expect(dropped + kept).toBe(4_000_000 + 1 + 17);
    expect(result.outputExcerpt.trimEnd().endsWith('FLOOD-END-MARKER')).toBe(true);
  });

  it('redacts env values and configured secrets, and does not pass the bot environment', async () => {
    const runner = new ScriptRollbackRunner({
      logger,
      secrets: ['configured-secret-xyz'],
      baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    });
    const { result } = await run(
      runner,
      spec(['sh', join(SCRIPTS, 'print-env.sh'), 'configured-secret-xyz'], { env: { DEPLOY_TOKEN: 'ghp_supersecret123' } }),
    );
    expect(result.outcome).toBe('succeeded');
    expect(result.outputExcerpt).not.toContain('ghp_supersecret123');
    expect(result.outputExcerpt).toContain('token is [redacted]');
    expect(result.outputExcerpt).toContain('again: [redacted]');
    expect(result.outputExcerpt).toContain('slack=unset');
  });

  it('redacts a secret straddling the truncation edge', async () => {
    const secret = 'S3CRET-VALUE-0123456789';
    const runner = new ScriptRollbackRunner({ logger });
    const cap = 2048;
    // The tail window is cap + secret length; this much after the secret puts its edge 5 bytes before the secret ends.
    const after = cap + secret.length - 5;
    const script = `printf '%s' "$DEPLOY_TOKEN"; head -c ${after} /dev/zero | tr '\\0' 'a'`;
    const { result } = await run(runner, spec(['sh', '-c', script], { outputCapBytes: cap, env: { DEPLOY_TOKEN: secret } }));
    expect(result.outcome).toBe('succeeded');
    expect(result.outputExcerpt).toMatch(/^\[… \d+ earlier bytes truncated\]\na+$/);
    for (let n = 4; n <= secret.length; n++) expect(result.outputExcerpt).not.toContain(secret.slice(-n));
  });

  it('passes hostile placeholder values as single literal arguments, never to a shell', async () => {
    const runner = new ScriptRollbackRunner({ logger });
    const hostile = {
      incident_id: '$(touch pwned)',
      service: '; touch pwned3; rm -rf /tmp/x',
      previous_release: '`touch pwned2`',
      requested_by: `"'quoted' and "double"`,
      release: 'a b\tc\nd',
    };
    const { result } = await run(
      runner,
      spec(
        ['sh', join(SCRIPTS, 'echo-argv.sh'), '{incident_id}', '--service={service}', '{previous_release}', '{requested_by}', '{release}'],
        { cwd: dir },
      ),
      { placeholders: hostile },
    );
    expect(result.outcome).toBe('succeeded');
    expect(result.outputExcerpt).toBe(
      [hostile.incident_id, `--service=${hostile.service}`, hostile.previous_release, hostile.requested_by, hostile.release, ''].join('\n'),
    );
    for (const f of ['pwned', 'pwned2', 'pwned3']) expect(existsSync(join(dir, f)), f).toBe(false);
  });

  it('refuses an unknown placeholder without starting anything', async () => {
    const pids: number[] = [];
    const runner = new ScriptRollbackRunner({ logger, onStarted: (pid) => pids.push(pid) });
    const { result } = await run(runner, spec(['sh', join(SCRIPTS, 'echo-argv.sh'), '{incident_id}', '{nope}']), {
      placeholders: { incident_id: 'INC-1' },
    });
    expect(result.outcome).toBe('failed');
    expect(result.error).toBe('unknown placeholder {nope} in argv[3]');
    expect(pids).toEqual([]);
  });
});
