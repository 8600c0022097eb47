import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_SIGNING_SECRET } from '../../support/slack-requests';
import { SlackStandIn } from '../../support/slack-stand-in';
import { freePort } from '../../support/processes';
import { waitFor } from '../../support/start-bot';

// What a user gets from `npm pack`: a tarball (built by prepack) that installs from the
// registry with only its runtime dependencies, and whose binary and bot run without tsx.
const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'ib-pack-'));
const env = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  npm_config_cache: process.env.npm_config_cache ?? join(process.env.HOME ?? tmpdir(), '.npm'),
};
const stops: Array<() => void> = [];
afterAll(() =>
  stops.forEach((s) => {
    s();
  }),
);

async function npx(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['--no-install', 'incident-bot', ...args], { cwd: work, env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm pack → npm install <tarball>', () => {
  it('installs, and incident-bot --help, classify, check-config and the bot itself run', { timeout: 400_000 }, async () => {
    await run('npm', ['pack', '--silent', '--pack-destination', work], { cwd: resolve('.'), env, timeout: 120_000 });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    const { stdout: listing } = await run('tar', ['-tzf', join(work, tarball!)], { env });
    for (const file of [
      'package/dist/main.js',
      'package/dist/cli.js',
      'package/dist/main.js.map',
      'package/bin/incident-bot.mjs',
      'package/config/default.yml',
      'package/examples/config.yml',
    ])
      expect(listing).toContain(file);
    expect(listing).not.toContain('package/src/');
    expect(listing).not.toContain('package/tests/');

    writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'pack-test', version: '1.0.0', private: true }));
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', join(work, tarball!)], {
      cwd: work,
      env,
      timeout: 300_000,
    });
    // Runtime only: the dev tools stay out.
    expect(readdirSync(join(work, 'node_modules'))).not.toContain('tsx');
    expect(readdirSync(join(work, 'node_modules'))).not.toContain('vitest');

    const help = await npx(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('check-config');

    const payload = resolve('tests/fixtures/alerts/alertmanager/prom242_am025_e2e_firing.json');
    const classified = await npx(['classify', payload]);
    expect(classified.stderr).toBe('');
    expect(classified.code).toBe(0);
    expect(classified.stdout).toContain('P0 because label severity=critical');

    const packaged = join(work, 'node_modules/incident-bot');
    const checked = await npx(['check-config', '--config', join(packaged, 'config/default.yml')]);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toContain('SUCCESS');
    const broken = await npx(['check-config', '--config', join(work, 'package.json')]);
    expect(broken.code).toBe(1);

    // The bot from the installed package, as `npm start` runs it, answers /healthz.
    const slack = await new SlackStandIn().start();
    stops.push(() => void slack.stop());
    const port = await freePort();
    const bot = spawn(process.execPath, [join(packaged, 'dist/main.js')], {
      cwd: packaged,
      env: {
        ...env,
        SLACK_BOT_TOKEN: 'xoxb-pack',
        SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
        PORT: String(port),
        REDIS_PREFIX: 'ibtest:pack:',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    bot.stderr!.on('data', (d) => (stderr += String(d)));
    stops.push(() => bot.kill('SIGKILL'));
    await waitFor(
      () => {
        if (bot.exitCode !== null) throw new Error(`the packaged bot exited ${bot.exitCode}: ${stderr}`);
        return fetch(`http://127.0.0.1:${port}/readyz`).then(
          (r) => r.ok,
          () => false,
        );
      },
      'the packaged bot to be ready',
      60_000,
    );
    bot.kill('SIGTERM');
  });
});
