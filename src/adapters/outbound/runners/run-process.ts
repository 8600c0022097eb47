import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { OutputTail } from './output-tail';

export interface RunProcessOptions {
  argv: readonly string[];
  cwd?: string;
  env: Record<string, string>;
  timeoutMs: number;
  graceMs: number;
  outputCapBytes: number;
  /** Redacted from the output excerpt. */
  secrets?: readonly string[];
  signal?: AbortSignal;
  onStarted?(pid: number): void;
  /** Every complete output line (either stream), for `::step` parsing. */
  onLine?(line: string): void;
}

export interface ProcessResult {
  /** How it ended: on its own, or stopped by us. */
  ending: 'exited' | 'timed_out' | 'cancelled' | 'spawn_failed';
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  outputExcerpt: string;
  error?: string;
}

/** Lines longer than this are not parsed (still captured); bounds memory per stream. */
const MAX_LINE_BYTES = 8 * 1024;
const GROUP_POLL_MS = 25;
/** Bound on waiting for SIGKILLed processes to disappear (a process stuck in D state cannot be hurried). */
const KILL_WAIT_MS = 2_000;
/** After the leader exits, how long to wait for its stdio to close (a daemon it left may hold it). */
const STDIO_CLOSE_WAIT_MS = 1_000;

/**
 * Whether any process of the group still runs. Zombies do not count: where PID 1 does not
 * reap orphans (plain containers without an init), killed grandchildren stay <defunct> forever
 * and would otherwise look alive. Linux answers from /proc; elsewhere kill(-pgid, 0) decides.
 */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (process.platform !== 'linux') return true;
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        continue; // exited while we looked
      }
      // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after the last ')'.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') return true;
    }
    return false;
  } catch {
    return true;
  }
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: already gone.
  }
}

/**
 * Runs argv without a shell in its own process group (detached), so that a timeout or an
 * abort stops the whole tree it started — children and grandchildren — not just the leader:
 * SIGTERM to the group, then SIGKILL after `graceMs` if anything is left.
 */
export function runProcess(options: RunProcessOptions): Promise<ProcessResult> {
  const started = performance.now();
  const tail = new OutputTail(options.outputCapBytes, options.secrets);
  const elapsed = () => Math.round(performance.now() - started);

  return new Promise<ProcessResult>((resolve) => {
    if (options.signal?.aborted) {
      resolve({ ending: 'cancelled', exitCode: null, signal: null, durationMs: 0, outputExcerpt: '' });
      return;
    }
    const child = spawn(options.argv[0]!, options.argv.slice(1), {
      shell: false,
      detached: true,
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });

    let stopReason: 'timed_out' | 'cancelled' | null = null;
    /** Pending while we are terminating the group; the run ends only once it settles. */
    let stopping: Promise<void> | null = null;
    let stopped = false;
    let exit: { code: number | null; signal: string | null } | null = null;
    let closed = false;
    let spawnError: Error | null = null;
    let settled = false;
    let closeFallback: NodeJS.Timeout | null = null;

    const splitter = () => {
      let pending = '';
      let skipping = false;
      return (chunk: Buffer) => {
        tail.push(chunk);
        if (!options.onLine) return;
        const parts = (pending + chunk.toString('utf8')).split('\n');
        pending = parts.pop() ?? '';
        for (const line of parts) {
          if (!skipping) options.onLine(line.replace(/\r$/, ''));
          skipping = false;
        }
        if (Buffer.byteLength(pending) > MAX_LINE_BYTES) {
          pending = '';
          skipping = true;
        }
      };
    };
    child.stdout!.on('data', splitter());
    child.stderr!.on('data', splitter());

    const finishIfDone = (): void => {
      if (settled) return;
      if (!spawnError && (!exit || !closed || (stopping !== null && !stopped))) return;
      settled = true;
      clearTimeout(timer);
      if (closeFallback) clearTimeout(closeFallback);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({
        ending: spawnError ? 'spawn_failed' : (stopReason ?? 'exited'),
        exitCode: exit?.code ?? null,
        signal: exit?.signal ?? null,
        durationMs: elapsed(),
        outputExcerpt: tail.excerpt(),
        error: spawnError ? `could not start ${options.argv[0]}: ${spawnError.message}` : undefined,
      });
    };

    const stop = (reason: 'timed_out' | 'cancelled') => {
      // Once the leader has exited on its own, anything it left running (a restarted daemon) is deliberate.
      if (stopReason || exit || spawnError || child.pid === undefined) return;
      stopReason = reason;
      const pgid = child.pid;
      stopping = (async () => {
        killGroup(pgid, 'SIGTERM');
        const graceEnds = performance.now() + options.graceMs;
        while (performance.now() < graceEnds && groupAlive(pgid)) await sleep(GROUP_POLL_MS);
        if (!groupAlive(pgid)) return;
        killGroup(pgid, 'SIGKILL');
        // SIGKILL is delivered asynchronously: report the run over only once the tree is really gone.
        const killWaitEnds = performance.now() + KILL_WAIT_MS;
        while (performance.now() < killWaitEnds && groupAlive(pgid)) await sleep(GROUP_POLL_MS);
      })();
      void stopping.then(() => {
        stopped = true;
        finishIfDone();
      });
    };

    const timer = setTimeout(() => stop('timed_out'), options.timeoutMs);
    const onAbort = () => stop('cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });

    child.on('spawn', () => {
      if (child.pid !== undefined) options.onStarted?.(child.pid);
    });
    child.on('error', (error) => {
      // Only spawn failures (ENOENT, EACCES) reach here: we never signal the child object itself.
      if (exit) return;
      spawnError = error;
      finishIfDone();
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // A background process it left behind may hold the pipes open; don't wait on it forever.
      closeFallback = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        closed = true;
        finishIfDone();
      }, STDIO_CLOSE_WAIT_MS);
      finishIfDone();
    });
    child.on('close', () => {
      closed = true;
      finishIfDone();
    });
  });
}
