import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SIGNING_SECRET } from '../../support/slack-requests';
import { SlackStandIn } from '../../support/slack-stand-in';
import { startCompiledBot, writeConfigFile } from '../../support/compiled-bot';
import { freePort } from '../../support/processes';
import { waitFor } from '../../support/start-bot';

// `incident-bot check-config` through the real binary (bin/ → dist/cli.js, built by the test
// setup), the way an operator or a CI job runs it; Slack is the local stand-in.
const run = promisify(execFile);
async function checkConfig(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/incident-bot.mjs', 'check-config', ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const dir = mkdtempSync(join(tmpdir(), 'ib-check-'));
const notExecutable = join(dir, 'rollback.sh');
writeFileSync(notExecutable, '#!/bin/sh\nexit 0\n');
chmodSync(notExecutable, 0o644);
const runnable = 'tests/fixtures/scripts/rollback-success.sh';
const verified = { verification: [{ kind: 'command', argv: [runnable] }] };
const command = (argv0: string) => ({ kind: 'command', argv: [argv0, '{previous_release}'] });

let slack: SlackStandIn;
beforeAll(async () => {
  slack = await new SlackStandIn().start();
  slack.userGroups.set('S0SRE', ['U0ONLYONE']);
  slack.userGroups.set('S0ONCALL', ['U0A', 'U0B']);
});
afterAll(async () => slack?.stop());

// Each case starts the CLI a few times; on a loaded machine one start can take seconds.
describe('incident-bot check-config', { timeout: 120_000 }, () => {
  it('the shipped default config is clean: exit 0, no warnings', async () => {
    const r = await checkConfig([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Checking config/default.yml  SUCCESS');
    expect(r.stdout).toContain('0 service(s)');
    expect(r.stdout).not.toContain('warning');
  });

  it('every config in examples/ passes with no warnings, and the example rules classify', async () => {
    const configs = readdirSync('examples').filter((f) => f.endsWith('.yml') && !f.includes('rules'));
    expect(configs.length).toBeGreaterThan(0);
    for (const file of configs) {
      const r = await checkConfig(['--config', `examples/${file}`]);
      expect(r.code, `${file}: ${r.stdout}${r.stderr}`).toBe(0);
      expect(r.stdout, file).toContain('SUCCESS');
      expect(r.stdout, file).not.toContain('warning');
    }
    for (const rules of readdirSync('examples').filter((f) => f.includes('rules'))) {
      const classified = await run(
        process.execPath,
        ['bin/incident-bot.mjs', 'classify', '--rules', `examples/${rules}`, 'tests/fixtures/alerts/generic/checkout_latency.json'],
        { timeout: 60_000 },
      );
      expect(classified.stdout).toContain('severity:');
    }
  });

  it('names each warning with its key path and still exits 0', async () => {
    const file = writeConfigFile({
      services: [
        {
          name: 'p0-short',
          owners: ['U0OWNER'],
          rollback: { runners: [command(runnable)], ...verified, approvers: { users: ['U0ONE'] }, two_approvers_for_p0: true },
        },
        { name: 'nobody', owners: ['U0OWNER'], rollback: { runners: [command(runnable)], ...verified } },
        {
          name: 'missing',
          owners: ['U0OWNER'],
          rollback: {
            runners: [command('./scripts/no-such-rollback.sh')],
            readiness: [{ kind: 'file_exists', path: './scripts/no-such-file' }],
            ...verified,
            approvers: { users: ['U0ONE'] },
          },
        },
        {
          name: 'not-exec',
          owners: ['U0OWNER'],
          rollback: { runners: [command(notExecutable)], ...verified, approvers: { users: ['U0ONE'] } },
        },
        { name: 'unverified', owners: ['U0OWNER'], rollback: { runners: [command(runnable)], approvers: { users: ['U0ONE'] } } },
        { name: 'orphan' },
      ],
    });
    const r = await checkConfig(['--config', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('SUCCESS');
    for (const line of [
      '[approvers_short] services[0] (p0-short).rollback.approvers: two_approvers_for_p0 needs two distinct approvers, but only 1 is listed',
      '[no_approvers] services[1] (nobody).rollback.approvers: nobody may approve',
      '[script_missing] services[2] (missing).rollback.runners[0]: ./scripts/no-such-rollback.sh does not exist',
      '[file_missing] services[2] (missing).rollback.readiness[0]: ./scripts/no-such-file does not exist',
      `[script_not_executable] services[3] (not-exec).rollback.runners[0]: ${notExecutable} is not executable`,
      '[no_verification] services[4] (unverified).rollback.verification: no verification checks',
      '[no_owners] services[5] (orphan): no owners',
    ])
      expect(r.stdout).toContain(line);
    expect(r.stdout).toContain('7 warning(s)');
    expect(r.stdout).toContain('Slack references not checked');
  });

  it('with Slack credentials, names an unknown channel, a user group that does not resolve, and a group too small for P0', async () => {
    const env = { SLACK_BOT_TOKEN: 'xoxb-check', SLACK_API_URL: slack.apiUrl };
    const bad = writeConfigFile({
      channels: { incident_response: '#no-such-channel' },
      escalation: { level2: ['S0NOPE'] },
      services: [
        {
          name: 'checkout',
          owners: ['U0OWNER'],
          user_group: 'S0GONE',
          rollback: { runners: [command(runnable)], ...verified, approvers: { users: [], groups: ['S0SRE'] }, two_approvers_for_p0: true },
        },
      ],
    });
    const r = await checkConfig(['--config', bad], env);
    expect(r.code).toBe(0);
    for (const line of [
      '[channel_unknown] channels.incident_response: Slack has no public channel "#no-such-channel"',
      '[user_group_unknown] escalation.level2: user group S0NOPE does not resolve (no_such_subteam)',
      '[user_group_unknown] services[0] (checkout).user_group: user group S0GONE does not resolve',
      '[approvers_short] services[0] (checkout).rollback.approvers: two_approvers_for_p0 needs two distinct approvers, but the users and groups listed hold 1',
    ])
      expect(r.stdout).toContain(line);
    expect(r.stdout).toContain('4 warning(s)');

    // The same shapes, pointing at what exists: nothing to say. Offline the group could not be counted.
    const good = writeConfigFile({
      channels: { incident_response: '#incident-response' },
      escalation: { level2: ['S0SRE'] },
      services: [
        {
          name: 'checkout',
          owners: ['U0OWNER'],
          user_group: 'S0SRE',
          rollback: {
            runners: [command(runnable)],
            ...verified,
            approvers: { users: [], groups: ['S0ONCALL'] },
            two_approvers_for_p0: true,
          },
        },
      ],
    });
    const clean = await checkConfig(['--config', good], env);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('Slack references checked');
    expect(clean.stdout).not.toContain('warning');
  });

  it('exits 1 on an invalid or missing file, listing every bad key', async () => {
    const bad = writeConfigFile({ services: [{ name: 'Bad Name', owners: ['alice'], rollback: { runners: [] } }], surprise: 1 });
    const r = await checkConfig(['--config', bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAILED');
    for (const key of [
      'services[0].name',
      'services[0].owners[0]',
      'services[0].rollback.runners: a rollback needs at least one runner',
      'surprise',
    ])
      expect(r.stdout).toContain(key);
    const missing = await checkConfig(['--config', join(dir, 'nope.yml')]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('nope.yml: file not found');
  });

  it('exits 1 when a severity rule names a signal no query defines, naming the rule and the signal', async () => {
    const rules = join(dir, 'rules-custom.yml');
    writeFileSync(
      rules,
      'rules:\n  - id: urgent-queue-backlog\n    severity: P1\n    urgency: urgent\n    when: { any: [{ signal: queue_depth, op: ">", value: 1000 }] }\n',
    );
    const unknown = await checkConfig(['--config', writeConfigFile({ severity_rules_file: rules })]);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toContain(`${rules}: rules[0] (urgent-queue-backlog): signal "queue_depth" is not a named signal`);
    const named = await checkConfig([
      '--config',
      writeConfigFile({ severity_rules_file: rules, signals: { queries: { queue_depth: 'max(queue_depth{service="{service}"})' } } }),
    ]);
    expect(named.stdout).not.toContain('FAILED');
  });

  it('exits 2 on usage errors, with the usage', async () => {
    for (const args of [['--bogus'], ['config.yml'], ['--config']]) {
      const r = await checkConfig(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('usage: incident-bot check-config [--config FILE]');
    }
  });

  it('the bot logs the same warnings at start', async () => {
    const config = writeConfigFile({
      channels: { incident_response: '#no-such-channel' },
      services: [
        {
          name: 'checkout',
          owners: ['U0OWNER'],
          rollback: { runners: [command('./scripts/no-such-rollback.sh')], ...verified, approvers: { users: ['U0ONE'] } },
        },
      ],
    });
    const bot = await startCompiledBot('node dist/main.js', {
      SLACK_BOT_TOKEN: 'xoxb-check',
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: String(await freePort()),
      CONFIG: config,
      REDIS_PREFIX: 'ibtest:checkcfg:',
      LOG_LEVEL: 'info',
    });
    try {
      const warned = await waitFor(
        () => {
          const logs = bot.logs().filter((l) => l.component === 'config-check');
          return logs.some((l) => l.code === 'channel_unknown') ? logs : undefined;
        },
        'config warnings in the log',
        60_000,
      );
      expect(warned.find((l) => l.code === 'script_missing')).toMatchObject({
        level: 40,
        where: 'services[0] (checkout).rollback.runners[0]',
      });
      expect(warned.find((l) => l.code === 'channel_unknown')?.msg).toContain('#no-such-channel');
    } finally {
      await bot.stop();
    }
  });
});
