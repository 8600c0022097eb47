import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckRunner } from '../../../src/adapters/outbound/runners/check-runner';
import type { CheckSpec } from '../../../src/domain/rollback/rollback-plan';
import { GitHubStandIn, inSequence } from '../../support/github-stand-in';

const logger = pino({ level: 'silent' });
const once = { times: 1, intervalMs: 0 };

describe('CheckRunner', () => {
  let service: GitHubStandIn; // stands in for the rolled-back service's health endpoint
  let dir: string;
  const checks = new CheckRunner({ logger, baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
  const ctx = (placeholders: Record<string, string> = {}) => ({ placeholders, signal: new AbortController().signal });

  beforeEach(async () => {
    service = new GitHubStandIn();
    await service.start();
    dir = mkdtempSync(join(tmpdir(), 'checks-'));
  });
  afterEach(async () => {
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes when every check passes (command, file, http with body match)', async () => {
    writeFileSync(join(dir, 'web.ready'), '');
    service.route('GET', '/healthz', () => ({ status: 200, body: { status: 'ok', release: 'v1.4.2' } }));
    const specs: CheckSpec[] = [
      {
        kind: 'command',
        name: 'git fsck',
        argv: ['sh', '-c', 'test "$1" = v1.4.2', 'check', '{previous_release}'],
        timeoutMs: 2_000,
        ...once,
      },
      { kind: 'file_exists', name: 'ready marker', path: join(dir, '{service}.ready'), ...once },
      {
        kind: 'http',
        name: 'health',
        url: `${service.url}/healthz`,
        expectStatuses: [{ min: 200, max: 200 }],
        bodyContains: '"ok"',
        bodyMatches: 'release":"v1\\.4\\.\\d+',
        timeoutMs: 1_000,
        ...once,
      },
    ];
    const outcome = await checks.runAll(specs, ctx({ previous_release: 'v1.4.2', service: 'web' }));
    expect(outcome.results.map((r) => [r.name, r.passed, r.detail])).toEqual([
      ['git fsck', true, 'exit 0'],
      ['ready marker', true, `${join(dir, 'web.ready')} exists`],
      ['health', true, 'HTTP 200'],
    ]);
    expect(outcome.passed).toBe(true);
    expect(service.requests).toHaveLength(1);
  });

  it('fails on a non-zero exit, a missing file, a wrong status and a body mismatch', async () => {
    service.route('GET', '/down', () => ({ status: 503, body: 'unavailable' }));
    service.route('GET', '/wrong', () => ({ status: 200, body: { status: 'degraded' } }));
    const specs: CheckSpec[] = [
      { kind: 'command', name: 'cmd', argv: ['sh', '-c', 'echo not yet; exit 4'], timeoutMs: 2_000, ...once },
      { kind: 'file_exists', name: 'file', path: join(dir, 'missing'), ...once },
      { kind: 'http', name: 'status', url: `${service.url}/down`, expectStatuses: [{ min: 200, max: 299 }], timeoutMs: 1_000, ...once },
      {
        kind: 'http',
        name: 'body',
        url: `${service.url}/wrong`,
        expectStatuses: [{ min: 200, max: 299 }],
        bodyContains: '"ok"',
        timeoutMs: 1_000,
        ...once,
      },
    ];
    const outcome = await checks.runAll(specs, ctx());
    expect(outcome.passed).toBe(false);
    expect(outcome.results.map((r) => [r.passed, r.detail])).toEqual([
      [false, 'exit 4: not yet'],
      [false, `${join(dir, 'missing')} does not exist`],
      [false, 'HTTP 503, expected 200-299'],
      [false, 'HTTP 200 but body lacks ""ok""'],
    ]);
  });

  it('fails a command check that outlives its timeout', async () => {
    const started = performance.now();
    const outcome = await checks.runAll([{ kind: 'command', name: 'slow', argv: ['sleep', '5'], timeoutMs: 200, ...once }], ctx());
    expect(outcome.results[0]).toMatchObject({ passed: false, detail: 'no exit after 200 ms' });
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('repeats a check over its interval and passes when all attempts pass', async () => {
    service.route('GET', '/healthz', () => ({ status: 200, body: 'ok' }));
    const started = performance.now();
    const outcome = await checks.runAll(
      [
        {
          kind: 'http',
          name: 'health',
          url: `${service.url}/healthz`,
          expectStatuses: [{ min: 200, max: 200 }],
          timeoutMs: 1_000,
          times: 3,
          intervalMs: 100,
        },
      ],
      ctx(),
    );
    expect(outcome.passed).toBe(true);
    expect(outcome.results[0]!.detail).toBe('3/3 attempts passed');
    const times = service.requests.map((r) => r.at);
    expect(times).toHaveLength(3);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(90);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(90);
    expect(performance.now() - started).toBeGreaterThanOrEqual(200);
  });

  it('fails the whole check when one of the repeated attempts fails, and stops there', async () => {
    service.route('GET', '/healthz', inSequence({ status: 200 }, { status: 500 }, { status: 200 }));
    const outcome = await checks.runAll(
      [
        {
          kind: 'http',
          name: 'health',
          url: `${service.url}/healthz`,
          expectStatuses: [{ min: 200, max: 200 }],
          timeoutMs: 1_000,
          times: 3,
          intervalMs: 50,
        },
      ],
      ctx(),
    );
    expect(outcome.passed).toBe(false);
    expect(outcome.results[0]!.detail).toBe('attempt 2/3: HTTP 500, expected 200');
    expect(service.requests).toHaveLength(2);
  });

  it('refuses a metadata URL in a check', async () => {
    const outcome = await checks.runAll(
      [
        {
          kind: 'http',
          name: 'imds',
          url: 'http://169.254.169.254/latest/',
          expectStatuses: [{ min: 200, max: 200 }],
          timeoutMs: 5_000,
          ...once,
        },
      ],
      ctx(),
    );
    expect(outcome.results[0]!.detail).toMatch(/^refused: 169\.254\.169\.254 is a link-local/);
  });

  it('stops waiting between attempts when aborted', async () => {
    service.route('GET', '/healthz', () => ({ status: 200 }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const outcome = await checks.runAll(
      [
        {
          kind: 'http',
          name: 'health',
          url: `${service.url}/healthz`,
          expectStatuses: [{ min: 200, max: 200 }],
          timeoutMs: 1_000,
          times: 3,
          intervalMs: 5_000,
        },
      ],
      { placeholders: {}, signal: controller.signal },
    );
    expect(outcome.results[0]).toMatchObject({ passed: false, detail: 'cancelled' });
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
