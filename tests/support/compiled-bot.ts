import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './start-bot';

export type StartMode = 'npm start' | 'node dist/main.js';

export interface CompiledBot {
  process: ChildProcess;
  port: number;
  baseUrl: string;
  /** Every stdout line so far (pino JSON), parsed when it is JSON. */
  lines: () => string[];
  logs: () => Record<string, any>[];
  stderr: () => string;
  /** Sends a signal: to the whole process group for `npm start` (as a terminal or systemd does), else to node. */
  signal(name: NodeJS.Signals): void;
  /** The node process running dist/main.js (under `npm start`, npm's grandchild). */
  nodePid: number;
  /**
   * Resolves when that node process is gone. npm dies on the first SIGTERM and leaves node
   * (an orphan then) to finish, so its exit is watched through /proc, not waitpid.
   */
  nodeExited(): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

/** Writes a config object as a YAML file (JSON is YAML) in a fresh directory; returns its path. */
export function writeConfigFile(config: Record<string, unknown>): string {
  const file = join(mkdtempSync(join(tmpdir(), 'ib-config-')), 'config.yml');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/**
 * Starts the built bot (dist/, made by the test setup) the way an operator does, from the
 * repository root, and waits until /healthz answers. Env replaces the inherited one except PATH/HOME.
 */
export async function startCompiledBot(
  mode: StartMode,
  env: Record<string, string>,
  options: { waitReady?: boolean } = {},
): Promise<CompiledBot> {
  const fullEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env };
  const child =
    mode === 'npm start'
      ? spawn('npm', ['start', '--silent'], { env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
      : spawn(process.execPath, ['dist/main.js'], { env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (err += String(d)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const port = Number(env.PORT);
  const baseUrl = `http://127.0.0.1:${port}`;
  const lines = () => out.split('\n').filter(Boolean);
  const bot: CompiledBot = {
    process: child,
    nodePid: child.pid!,
    async nodeExited() {
      if (mode === 'node dist/main.js') return void (await exited);
      while (existsSync(`/proc/${bot.nodePid}`) && !readFileSync(`/proc/${bot.nodePid}/stat`, 'utf8').includes(') Z '))
        await new Promise((r) => setTimeout(r, 50));
    },
    port,
    baseUrl,
    lines,
    logs: () =>
      lines().flatMap((l) => {
        try {
          return [JSON.parse(l)];
        } catch {
          return [];
        }
      }),
    stderr: () => err,
    signal(name) {
      if (mode === 'npm start') process.kill(-child.pid!, name);
      else child.kill(name);
    },
    exited,
    async stop() {
      try {
        process.kill(bot.nodePid, 'SIGKILL');
      } catch {
        /* already gone */
      }
      if (child.exitCode === null && child.signalCode === null) {
        try {
          bot.signal('SIGKILL');
        } catch {
          /* already gone */
        }
        await exited;
      }
    },
  };
  let gone = false;
  void exited.then(() => (gone = true));
  await waitFor(
    async () => {
      if (gone) throw new Error(`${mode} exited before answering: ${err.slice(-2000)}`);
      const path = options.waitReady === false ? '/healthz' : '/readyz';
      return fetch(`${baseUrl}${path}`).then(
        (r) => r.ok,
        () => false,
      );
    },
    `${mode} to answer on ${baseUrl}`,
    90_000,
  );
  if (mode === 'npm start') bot.nodePid = findInGroup(child.pid!, 'dist/main.js');
  return bot;
}

/** The pid of the process in group `pgid` with `arg` among its arguments (not `sh -c "… arg"`). */
function findInGroup(pgid: number, arg: string): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name: state, ppid, pgrp.
      const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (pgrp === pgid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(arg)) return Number(entry);
    } catch {
      // the process ended while we looked
    }
  }
  throw new Error(`no process running ${arg} in process group ${pgid}`);
}
