import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/**
 * Real Redis processes for the Cluster and Sentinel tests: each on free loopback ports in its
 * own temp directory, stopped by pid (never by name: other engineers' tests run beside ours).
 */

export interface RedisProcess {
  port: number;
  pid: number;
  dir: string;
  kill9(): void;
  stop(): Promise<void>;
  /** The server's log, for a failure message. */
  log(): string;
}

/** Polls `check` until it returns a truthy value; fails naming `what` after timeoutMs. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 60_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free loopback port; with `bus`, one whose +10000 (the Cluster bus port) is free too. */
export async function freeRedisPort(bus = false): Promise<number> {
  for (let tries = 0; tries < 200; tries++) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    if ((await portIsFree(port)) && (!bus || (await portIsFree(port + 10_000)))) return port;
  }
  throw new Error('no free port pair found');
}

function sentinelCommand(): { bin: string; args: string[] } {
  // Debian's redis-sentinel package; redis-server --sentinel is the same program.
  for (const bin of ['/usr/bin/redis-sentinel', '/usr/local/bin/redis-sentinel']) if (existsSync(bin)) return { bin, args: [] };
  return { bin: 'redis-server', args: ['--sentinel'] };
}

/** Starts redis-server (or a sentinel) with `config` lines; retries on other ports if the port was taken meanwhile. */
export async function startRedisProcess(
  kind: 'server' | 'sentinel',
  config: (port: number) => string[],
  opts: { bus?: boolean } = {},
): Promise<RedisProcess> {
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freeRedisPort(opts.bus);
    const dir = mkdtempSync(join(tmpdir(), `ib-redis-${kind}-`));
    const confFile = join(dir, kind === 'sentinel' ? 'sentinel.conf' : 'redis.conf');
    const logFile = join(dir, 'redis.log');
    writeFileSync(
      confFile,
      `${[`port ${port}`, 'bind 127.0.0.1', 'protected-mode no', `dir ${dir}`, `logfile ${logFile}`, 'daemonize no', ...config(port)].join('\n')}\n`,
    );
    const { bin, args } = kind === 'sentinel' ? sentinelCommand() : { bin: 'redis-server', args: [] };
    const child: ChildProcess = spawn(bin, [confFile, ...args], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-3000) : '');
    const proc: RedisProcess = {
      port,
      pid: child.pid!,
      dir,
      log,
      kill9() {
        if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGKILL');
      },
      async stop() {
        if (child.exitCode === null && child.signalCode === null) {
          process.kill(child.pid!, 'SIGKILL');
          await exited;
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
    try {
      await waitFor(
        `${kind} on ${port} to answer`,
        async () => {
          if (child.exitCode !== null) throw new Error(`exited: ${log()}`);
          return ping(port);
        },
        15_000,
      );
      return proc;
    } catch (error) {
      lastError = error as Error;
      await proc.stop();
    }
  }
  throw lastError ?? new Error(`${kind} did not start`);
}

async function ping(port: number): Promise<boolean> {
  const client = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  client.on('error', () => undefined); // refused while starting: that is what we poll for
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** One command on one node, on a fresh short-lived connection. */
export async function askNode(port: number, ...args: (string | number)[]): Promise<unknown> {
  const client = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
    connectTimeout: 2_000,
  });
  client.on('error', () => undefined); // the caller gets the failure from the command
  try {
    await client.connect();
    return await client.call(String(args[0]), ...args.slice(1).map(String));
  } finally {
    client.disconnect();
  }
}

export interface TestCluster {
  nodes: RedisProcess[];
  /** `127.0.0.1:p1,127.0.0.1:p2,…` as REDIS_CLUSTER_NODES takes it. */
  nodesEnv: string;
  stop(): Promise<void>;
}

/** Three primaries, slots spread by redis-cli --cluster create; resolves once every node says cluster_state:ok. */
export async function startCluster(size = 3): Promise<TestCluster> {
  const nodes: RedisProcess[] = [];
  const stop = async () => {
    for (const node of nodes) await node.stop();
  };
  try {
    for (let i = 0; i < size; i++) {
      nodes.push(
        await startRedisProcess(
          'server',
          () => ['cluster-enabled yes', 'cluster-config-file nodes.conf', 'cluster-node-timeout 5000', 'save ""', 'appendonly no'],
          { bus: true },
        ),
      );
    }
    const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
    const created = spawnSync('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (created.status !== 0) throw new Error(`redis-cli --cluster create failed: ${created.stdout}\n${created.stderr}`);
    // Formation is gossip: wait until every node knows every slot, not just the one we asked.
    for (const node of nodes) {
      await waitFor(
        `cluster_state:ok on ${node.port}`,
        async () => {
          const info = String(await askNode(node.port, 'CLUSTER', 'INFO'));
          return (
            info.includes('cluster_state:ok') &&
            info.includes(`cluster_known_nodes:${size}`) &&
            info.includes('cluster_slots_assigned:16384')
          );
        },
        60_000,
        200,
      );
    }
    return { nodes, nodesEnv: addresses.join(','), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export interface TestSentinel {
  master: string;
  primary: RedisProcess;
  replica: RedisProcess;
  sentinels: RedisProcess[];
  /** `127.0.0.1:p1,…` as REDIS_SENTINELS takes it. */
  sentinelsEnv: string;
  /** The primary's port every sentinel reports (undefined while they disagree). */
  reportedPrimary(): Promise<number | undefined>;
  stop(): Promise<void>;
}

/**
 * A primary, one replica and three sentinels (quorum 2). down-after 1 s keeps the failover in
 * the test short; production uses more (see the README).
 */
export async function startSentinel(master = 'ibmaster', opts: { downAfterMs?: number } = {}): Promise<TestSentinel> {
  const all: RedisProcess[] = [];
  const stop = async () => {
    for (const p of all) await p.stop();
  };
  try {
    const base = ['save ""', 'appendonly no', 'repl-diskless-sync yes', 'repl-diskless-sync-delay 0'];
    const primary = await startRedisProcess('server', () => base);
    all.push(primary);
    const replica = await startRedisProcess('server', () => [...base, `replicaof 127.0.0.1 ${primary.port}`]);
    all.push(replica);
    await waitFor(
      'the replica to sync',
      async () => String(await askNode(replica.port, 'INFO', 'replication')).includes('master_link_status:up'),
      30_000,
    );
    const sentinels: RedisProcess[] = [];
    for (let i = 0; i < 3; i++) {
      const s = await startRedisProcess('sentinel', () => [
        `sentinel monitor ${master} 127.0.0.1 ${primary.port} 2`,
        `sentinel down-after-milliseconds ${master} ${opts.downAfterMs ?? 1000}`,
        `sentinel failover-timeout ${master} 4000`,
        `sentinel parallel-syncs ${master} 1`,
      ]);
      sentinels.push(s);
      all.push(s);
    }
    const reportedPrimary = async () => {
      const ports = await Promise.all(
        sentinels.map(async (s) => {
          try {
            const addr = (await askNode(s.port, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', master)) as [string, string] | null;
            return addr ? Number(addr[1]) : undefined;
          } catch {
            return undefined;
          }
        }),
      );
      return ports.every((p) => p !== undefined && p === ports[0]) ? ports[0] : undefined;
    };
    // Ready when every sentinel sees the replica and the other two sentinels (so a failover can be voted).
    for (const s of sentinels) {
      await waitFor(
        `sentinel ${s.port} to know the replica and its peers`,
        async () => {
          const info = (await askNode(s.port, 'SENTINEL', 'MASTER', master)) as string[];
          const field = (name: string) => Number(info[info.indexOf(name) + 1]);
          return field('num-slaves') >= 1 && field('num-other-sentinels') >= 2;
        },
        60_000,
        200,
      );
    }
    return {
      master,
      primary,
      replica,
      sentinels,
      sentinelsEnv: sentinels.map((s) => `127.0.0.1:${s.port}`).join(','),
      reportedPrimary,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
