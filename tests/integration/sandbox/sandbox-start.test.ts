import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { ensureRedis, redisAnswers } from '../../../src/sandbox/private-redis';
import { SandboxError } from '../../../src/sandbox/sandbox-error';
import { startSandbox } from '../../../src/sandbox/start-sandbox';
import { freePort } from '../../support/processes';
import { TEST_REDIS_URL } from '../../support/test-redis';

/** Processes whose parent is this test process (a half-started sandbox would leave a bot here). */
function children(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return Number(/PPid:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) === process.pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

function runSandboxMain(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/sandbox/main.ts'], {
      env: { HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('starting the sandbox: bad situations get a clear message and nothing half-started', () => {
  let blocker: Server | undefined;
  afterEach(async () => {
    await new Promise((r) => (blocker ? blocker.close(r) : r(undefined)));
    blocker = undefined;
  });

  it('port taken: says which port and how to change it, and starts nothing', async () => {
    const port = await freePort();
    blocker = createServer();
    await new Promise<void>((r) => blocker!.listen(port, '127.0.0.1', r));
    const before = children();
    const error = await startSandbox({ port, redisUrl: TEST_REDIS_URL }).catch((e) => e);
    expect(error).toBeInstanceOf(SandboxError);
    expect(error.message).toContain(`Port ${port} is taken`);
    expect(error.message).toContain(`SANDBOX_PORT=${port + 1} npm run sandbox`);
    expect(children()).toEqual(before);
  });

  it('no Redis and no redis-server installed: prints the one command that installs it and exits 1', async () => {
    const result = await runSandboxMain({
      PATH: '/nonexistent',
      SANDBOX_PORT: String(await freePort()),
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('redis-server is not installed');
    expect(result.stderr).toContain('sudo apt-get install -y redis-server');
  }, 60_000);

  it('a bad SANDBOX_PORT is named with the reason', async () => {
    const result = await runSandboxMain({ PATH: process.env.PATH ?? '', SANDBOX_PORT: 'eighty' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('SANDBOX_PORT: ');
  }, 60_000);

  it('nothing at REDIS_URL: starts a private redis-server with AOF on, its own port and directory, and stops it', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const redis = await ensureRedis(url);
    try {
      expect(redis.started).toBe(true);
      expect(redis.url).not.toBe(url);
      const client = new Redis(redis.url);
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      const [, dir] = (await client.config('GET', 'dir')) as string[];
      expect(dir).toMatch(/incident-bot-sandbox-redis-/);
      client.disconnect();
    } finally {
      await redis.stop();
    }
    expect(await redisAnswers(redis.url, 300)).toBe(false);
  }, 30_000);

  it('uses the Redis at REDIS_URL when it answers, and starts none', async () => {
    const redis = await ensureRedis(TEST_REDIS_URL);
    expect(redis).toMatchObject({ url: TEST_REDIS_URL, started: false });
  });
});
