import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpRollbackRunner } from '../../../src/adapters/outbound/runners/http-rollback-runner';
import type { HttpRunnerSpec } from '../../../src/domain/rollback/rollback-plan';
import { GitHubStandIn } from '../../support/github-stand-in';

const logger = pino({ level: 'silent' });
const placeholders = { incident_id: 'INC-20261121-001', previous_release: 'v1.4.2', service: 'web' };

describe('HttpRollbackRunner', () => {
  // The route-table stand-in doubles as a deploy agent's HTTP hook.
  let hook: GitHubStandIn;
  let elsewhere: GitHubStandIn;
  const runner = new HttpRollbackRunner({ logger });

  beforeEach(async () => {
    hook = new GitHubStandIn();
    elsewhere = new GitHubStandIn();
    await Promise.all([hook.start(), elsewhere.start()]);
  });
  afterEach(() => Promise.all([hook.stop(), elsewhere.stop()]));

  const spec = (overrides: Partial<HttpRunnerSpec> = {}): HttpRunnerSpec => ({
    kind: 'http',
    name: 'deploy-agent',
    url: `${hook.url}/rollback`,
    headers: { authorization: 'Bearer hook-secret-token' },
    body: { incident: '{incident_id}', target: { release: '{previous_release}', replicas: 3, dry_run: false } },
    successStatuses: [{ min: 200, max: 299 }],
    timeoutMs: 2_000,
    ...overrides,
  });
  const run = (s: HttpRunnerSpec, signal = new AbortController().signal) =>
    runner.run({ spec: s, placeholders, signal, onProgress: () => {} });

  it('POSTs the expanded JSON body with the configured headers and succeeds on 2xx', async () => {
    hook.route('POST', '/rollback', () => ({ status: 202, body: { accepted: true, echo: 'hook-secret-token' } }));
    const result = await run(spec());
    expect(result.outcome).toBe('succeeded');
    const [req] = hook.requests;
    expect(req!.method).toBe('POST');
    expect(req!.headers.authorization).toBe('Bearer hook-secret-token');
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.body).toEqual({ incident: 'INC-20261121-001', target: { release: 'v1.4.2', replicas: 3, dry_run: false } });
    expect(result.outputExcerpt).toContain('HTTP 202');
    expect(result.outputExcerpt).not.toContain('hook-secret-token');
  });

  it("sends the execution's fencing token and request id as headers", async () => {
    hook.route('POST', '/rollback', () => ({ status: 200, body: {} }));
    const result = await runner.run({
      spec: spec(),
      placeholders,
      signal: new AbortController().signal,
      onProgress: () => {},
      fence: { requestId: 'INC-20261121-001-R1', token: 7 },
    });
    expect(result.outcome).toBe('succeeded');
    const req = hook.requests.at(-1)!;
    expect(req.headers['x-incident-bot-fencing-token']).toBe('7');
    expect(req.headers['x-incident-bot-request-id']).toBe('INC-20261121-001-R1');
  });

  it('fails on a 500', async () => {
    hook.route('POST', '/rollback', () => ({ status: 500, body: { error: 'boom' } }));
    const result = await run(spec());
    expect(result.outcome).toBe('failed');
    expect(result.error).toBe('HTTP 500; expected 200-299');
    expect(result.outputExcerpt).toContain('boom');
  });

  it('treats a 302 as a failure and does not follow it', async () => {
    elsewhere.route('POST', '/stolen', () => ({ status: 200 }));
    elsewhere.route('GET', '/stolen', () => ({ status: 200 }));
    hook.route('POST', '/rollback', () => ({ status: 302, headers: { location: `${elsewhere.url}/stolen` } }));
    const result = await run(spec());
    expect(result.outcome).toBe('failed');
    expect(result.error).toContain('HTTP 302 (redirect to');
    expect(hook.requests).toHaveLength(1);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://2852039166/latest/meta-data/', // 169.254.169.254 written as one number
    'http://[::ffff:169.254.169.254]/',
    'http://[fe80::1]/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://100.100.100.200/latest/meta-data/',
    'http://[fd00:ec2::254]/',
  ])('refuses %s before connecting', async (url) => {
    const started = performance.now();
    const result = await run(spec({ url, timeoutMs: 5_000 }));
    expect(result.outcome).toBe('failed');
    expect(result.error).toMatch(/^refused: .*(link-local or cloud metadata address|cloud metadata host)/);
    // A connection attempt would hang until the 5 s timeout or fail with a socket error instead
    // (the bound is far from 5 s on purpose: this is about behaviour, not speed).
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('times out a hook that does not answer', async () => {
    hook.route('POST', '/rollback', () => ({ status: 200, delayMs: 3_000 }));
    const started = performance.now();
    const result = await run(spec({ timeoutMs: 200 }));
    expect(result.outcome).toBe('timed_out');
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(hook.requests).toHaveLength(1);
  });

  it('reports cancelled on abort', async () => {
    hook.route('POST', '/rollback', () => ({ status: 200, delayMs: 3_000 }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const result = await run(spec(), controller.signal);
    expect(result.outcome).toBe('cancelled');
  });
});
