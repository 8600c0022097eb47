import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Child {
  process: ChildProcess;
  port: number;
  /** Resident set size in MB, read from /proc. */
  rssMb(): number;
  stop(): Promise<void>;
  kill9(): void;
  /** Everything it wrote to stdout and stderr so far (its logs). */
  output(): string;
}

/** Starts `node --import tsx <script>` and waits for its "READY <port>" line. */
export async function startChild(script: string, env: Record<string, string>, timeoutMs = 20_000): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let all = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  child.stderr!.on('data', (d) => (all += String(d)));
  child.stdout!.on('data', (d) => (all += String(d)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start: ${stderr.slice(-2000)}`)), timeoutMs);
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      const match = /READY (\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`${script} exited ${code}: ${stderr.slice(-2000)}`)));
  });
  child.stdout!.resume();
  return {
    process: child,
    port,
    rssMb() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => {
        const t = setTimeout(() => {
          child.kill('SIGKILL');
          r(undefined);
        }, 5000);
        child.once('exit', () => {
          clearTimeout(t);
          r(undefined);
        });
      });
    },
    kill9() {
      child.kill('SIGKILL');
    },
    output() {
      return all;
    },
  };
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
