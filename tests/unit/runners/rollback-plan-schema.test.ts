import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  readinessChecksSchema,
  rollbackLevelSchema,
  runnersSchema,
  verificationChecksSchema,
} from '../../../src/domain/rollback/rollback-plan-schema';

/** "path: message" for each issue, the way the config loader reports a bad file. */
function issues(schema: z.ZodType, input: unknown): string[] {
  const result = schema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('runnersSchema', () => {
  it('turns YAML-style snake_case runners into typed specs with defaults', () => {
    const parsed = runnersSchema.parse([
      {
        kind: 'command',
        argv: ['./scripts/emergency_rollback.sh', '{incident_id}'],
        cwd: '/srv/app',
        env: { DEPLOY_TOKEN: 'x' },
        timeout: '10m',
      },
      {
        kind: 'github_actions',
        owner: 'acme',
        repo: 'web',
        workflow: 'rollback.yml',
        ref: 'main',
        inputs: { release: '{previous_release}' },
        timeout: '20m',
        poll: '15s',
      },
      {
        kind: 'http',
        name: 'deploy agent',
        url: 'http://127.0.0.1:9000/rollback',
        body: { id: '{incident_id}' },
        success_statuses: [202, '200-201'],
      },
    ]);
    expect(parsed).toEqual([
      {
        kind: 'command',
        name: './scripts/emergency_rollback.sh',
        argv: ['./scripts/emergency_rollback.sh', '{incident_id}'],
        cwd: '/srv/app',
        env: { DEPLOY_TOKEN: 'x' },
        timeoutMs: 600_000,
        graceMs: 5_000,
        outputCapBytes: 65_536,
      },
      {
        kind: 'github_actions',
        name: 'acme/web rollback.yml',
        owner: 'acme',
        repo: 'web',
        workflow: 'rollback.yml',
        ref: 'main',
        inputs: { release: '{previous_release}' },
        timeoutMs: 1_200_000,
        pollMs: 15_000,
      },
      {
        kind: 'http',
        name: 'deploy agent',
        url: 'http://127.0.0.1:9000/rollback',
        headers: undefined,
        body: { id: '{incident_id}' },
        successStatuses: [
          { min: 202, max: 202 },
          { min: 200, max: 201 },
        ],
        timeoutMs: 30_000,
      },
    ]);
  });

  it('applies defaults: grace 5s, 64 KiB output, 2xx success, poll 10s', () => {
    const [cmd, gha, http] = runnersSchema.parse([
      { kind: 'command', argv: ['rollback'], grace: '2s', output_cap_bytes: 4096 },
      { kind: 'github_actions', owner: 'a', repo: 'b', workflow: 42, ref: 'v1' },
      { kind: 'http', url: 'https://deploy.example/hook', success_statuses: '2xx' },
    ]);
    expect(cmd).toMatchObject({ timeoutMs: 600_000, graceMs: 2_000, outputCapBytes: 4096 });
    expect(gha).toMatchObject({ workflow: 42, inputs: {}, timeoutMs: 1_800_000, pollMs: 10_000 });
    expect(http).toMatchObject({ name: 'deploy.example', successStatuses: [{ min: 200, max: 299 }], timeoutMs: 30_000 });
  });

  it.each([
    [[], [': a rollback needs at least one runner']],
    [[{ kind: 'command', argv: ['x'], timeout: '10' }], ['0.timeout: expected a duration like "30s", "10m" or "1h30m", got "10"']],
    [[{ kind: 'command', argv: ['x'], timeout: 600 }], ['0.timeout: Invalid input: expected string, received number']],
    [[{ kind: 'command', argv: [] }], ['0.argv: Too small: expected array to have >=1 items']],
    [[{ kind: 'command', argv: ['x'], time_out: '1m' }], ['0: Unrecognized key: "time_out"']],
    [[{ kind: 'http', url: 'file:///etc/passwd' }], ['0.url: Invalid URL']],
    [
      [{ kind: 'http', url: 'http://x/', success_statuses: ['2xx', 'teapot'] }],
      ['0.success_statuses.1: expected a status like 200, "2xx" or "200-204", got "teapot"'],
    ],
    [
      [
        { kind: 'command', argv: ['ok'] },
        { kind: 'github_actions', owner: 'a', repo: 'b', ref: 'main' },
      ],
      ['1.workflow: Invalid input'],
    ],
    [[{ kind: 'ssh', host: 'x' }], ['0.kind: Invalid discriminator value']],
    [[{ kind: 'command', argv: [''] }], ['0.argv: argv[0] (the program) must not be empty']],
    [[{ kind: 'http', url: 'http://x/', success_statuses: [700] }], ['0.success_statuses.0: expected a status like 200']],
  ])('names the bad key: %j', (input, expected) => {
    const found = issues(runnersSchema, input);
    expect(found).toHaveLength(expected.length);
    expected.forEach((e, i) => {
      expect(found[i]).toContain(e);
    });
  });
});

describe('check schemas', () => {
  it('readiness accepts command, file_exists and http_get, once by default', () => {
    expect(
      readinessChecksSchema.parse([
        { kind: 'command', argv: ['git', 'fsck'] },
        { kind: 'file_exists', path: '/backups/{incident_id}.tar' },
        { kind: 'http_get', url: 'http://127.0.0.1:8080/healthz', expect_status: 200 },
      ]),
    ).toEqual([
      { kind: 'command', name: 'git fsck', argv: ['git', 'fsck'], cwd: undefined, timeoutMs: 30_000, times: 1, intervalMs: 5_000 },
      { kind: 'file_exists', name: '/backups/{incident_id}.tar exists', path: '/backups/{incident_id}.tar', times: 1, intervalMs: 5_000 },
      {
        kind: 'http',
        name: 'GET http://127.0.0.1:8080/healthz',
        url: 'http://127.0.0.1:8080/healthz',
        expectStatuses: [{ min: 200, max: 200 }],
        bodyContains: undefined,
        bodyMatches: undefined,
        timeoutMs: 10_000,
        times: 1,
        intervalMs: 5_000,
      },
    ]);
    expect(readinessChecksSchema.parse(undefined)).toEqual([]);
  });

  it('verification repeats 3 times 10s apart by default, and takes times/interval', () => {
    const [a, b] = verificationChecksSchema.parse([
      { kind: 'http', url: 'https://web.example/healthz', body_contains: 'ok' },
      { kind: 'http', url: 'https://web.example/version', body_matches: '^v1\\.4', times: 5, interval: '30s' },
    ]);
    expect(a).toMatchObject({ times: 3, intervalMs: 10_000, bodyContains: 'ok', expectStatuses: [{ min: 200, max: 299 }] });
    expect(b).toMatchObject({ times: 5, intervalMs: 30_000, bodyMatches: '^v1\\.4' });
  });

  it('names bad check keys', () => {
    expect(issues(verificationChecksSchema, [{ kind: 'file_exists', path: '/x' }])[0]).toMatch(/^0\.kind: /);
    expect(issues(verificationChecksSchema, [{ kind: 'http', url: 'http://x/', body_matches: '(' }])).toEqual([
      '0.body_matches: not a valid regular expression',
    ]);
    expect(issues(verificationChecksSchema, [{ kind: 'http', url: 'http://x/', times: 0 }])[0]).toMatch(/^0\.times: /);
    expect(issues(readinessChecksSchema, [{ kind: 'command', argv: ['x'], interval: 'soon' }])[0]).toMatch(
      /^0\.interval: expected a duration/,
    );
  });
});

describe('rollbackLevelSchema', () => {
  it('accepts the seed-004 levels only', () => {
    expect(['component', 'phase', 'full'].map((l) => rollbackLevelSchema.parse(l))).toEqual(['component', 'phase', 'full']);
    expect(rollbackLevelSchema.safeParse('partial').success).toBe(false);
  });
});
