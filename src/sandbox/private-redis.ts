import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { SandboxError } from './sandbox-error';

export interface SandboxRedis {
  url: string;
  /** True when the sandbox started its own redis-server (stopped again by stop()). */
  started: boolean;
  stop(): Promise<void>;
}

/** The one command that installs Redis here. */
export function redisInstallHint(platform = process.platform): string {
  return platform === 'darwin' ? 'brew install redis' : 'sudo apt-get install -y redis-server';
}

export async function redisAnswers(url: string, timeoutMs = 1000): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

function redisServerInstalled(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
      .once('error', reject)
      .listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
  });
}

/**
 * Uses the Redis at `url` when it answers. Otherwise starts a private redis-server (its own
 * free port and temp data directory, AOF on so nothing is lost while it runs) and stops it
 * on stop(). Without redis-server installed, refuses with the command that installs it.
 */
export async function ensureRedis(url: string): Promise<SandboxRedis> {
  if (await redisAnswers(url)) return { url, started: false, stop: async () => undefined };
  if (!redisServerInstalled()) {
    throw new SandboxError(
      `Nothing answers at REDIS_URL=${url} and redis-server is not installed.\nInstall it with:\n  ${redisInstallHint()}\nor point REDIS_URL at a running Redis.`,
    );
  }
  const port = await freeLoopbackPort();
  const dir = mkdtempSync(join(tmpdir(), 'incident-bot-sandbox-redis-'));
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--daemonize', 'no'],
    { stdio: 'ignore' },
  );
  const privateUrl = `redis://127.0.0.1:${port}`;
  const killOnExit = () => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) break;
    if (await redisAnswers(privateUrl, 200)) return { url: privateUrl, started: true, stop };
    await new Promise((r) => setTimeout(r, 50));
  }
  await stop();
  throw new SandboxError(`Started redis-server on port ${port} but it did not answer; is the installed redis-server working?`);
}
