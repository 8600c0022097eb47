import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// `npm start` runs dist/main.js (built by the test setup); these run it the same way, as a separate process.
function start(env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['dist/main.js'], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stderr: result.stderr };
}

describe('npm start', () => {
  it('without Slack credentials exits non-zero naming what is missing', () => {
    const { code, stderr } = start({});
    expect(code).toBe(1);
    expect(stderr).toContain('SLACK_BOT_TOKEN');
    expect(stderr).toContain('SLACK_SIGNING_SECRET');
    expect(stderr).toContain('README.md');
  });

  it('with a bad config file exits non-zero listing every bad key with its reason', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ib-config-'));
    const file = join(dir, 'bad.yml');
    writeFileSync(file, 'channels:\n  create_incident_channel: maybe\nservices:\n  - name: Bad Name\n    owners: [alice]\nsurprise: 1\n');
    const { code, stderr } = start({ CONFIG: file, PORT: 'abc', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' });
    expect(code).toBe(1);
    for (const key of ['env PORT', 'channels.create_incident_channel', 'services[0].name', 'services[0].owners[0]', 'surprise'])
      expect(stderr).toContain(key);
  });
});
