import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadConfig, missingSlackCredentials } from '../../../src/config/load-config';
import { DEFAULT_SLA_POLICY } from '../../../src/domain/sla-policy';
import { DEFAULT_SEVERITY_RULES } from '../../../src/domain/classifier/default-rules';

describe('config', () => {
  it('the shipped config/default.yml is valid and equals the DESIGN SLA table', () => {
    const result = loadConfig({ env: {}, readFile: (p) => readFileSync(p, 'utf8') });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.slaPolicy).toEqual(DEFAULT_SLA_POLICY);
    expect(result.config.channels.incident_response).toBe('#incident-response');
    expect(result.config.env).toMatchObject({
      PORT: 3000,
      REDIS_URL: 'redis://127.0.0.1:6379',
      LOG_LEVEL: 'info',
      SLACK_API_URL: 'https://slack.com/api/',
    });
  });

  it('lists every bad key with its reason, env and file together', () => {
    const result = loadConfig({
      env: { PORT: 'eighty', REDIS_URL: 'localhost:6379', LOG_LEVEL: 'loud', SLACK_APP_TOKEN: 'xoxb-wrong' },
      file: {
        channels: { incident_response: '', create_incident_channel: 'yes' },
        severities: { P1: { first_response: '15 minutes' }, P9: {} },
        services: [{ name: 'Checkout API', owners: ['alice'] }, { name: 'a' }, { name: 'a' }],
        surprise: true,
      },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const all = result.errors.join('\n');
    for (const expected of [
      'env PORT',
      'env REDIS_URL: must be a redis://',
      'env LOG_LEVEL',
      'env SLACK_APP_TOKEN: must be an app-level token',
      'channels.incident_response',
      'channels.create_incident_channel',
      'severities.P1.first_response: "15 minutes" is not a duration',
      'services[0].name',
      'services[0].owners[0]: must be a Slack user id',
      'services[2].name: duplicate service "a"',
    ])
      expect(all).toContain(expected);
    expect(all).toMatch(/P9|surprise/);
  });

  it('names a missing or unparseable file', () => {
    const missing = loadConfig({
      env: { CONFIG: 'nope.yml' },
      readFile: () => {
        throw Object.assign(new Error('x'), { code: 'ENOENT' });
      },
    });
    expect(missing).toEqual({ ok: false, errors: ['nope.yml: file not found'] });
    const broken = loadConfig({ env: {}, readFile: () => 'channels: [unclosed' });
    expect(broken.ok).toBe(false);
  });

  it('names the missing Slack credentials', () => {
    const result = loadConfig({ env: {}, file: {} });
    expect(result.ok && missingSlackCredentials(result.config.env).join(' ')).toMatch(/SLACK_BOT_TOKEN.*SLACK_SIGNING_SECRET/);
  });

  it('loads the severity rules file and the alerts section with their defaults', () => {
    const result = loadConfig({ env: {}, file: {} });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.alerts).toEqual({
      maxBodyBytes: 1_048_576,
      flapWindowMs: 5 * 60_000,
      slackMinIntervalMs: 1000,
      maxConcurrentIntake: 16,
      maxQueuedIntake: 2000,
      contextLabels: ['alertname', 'service', 'severity', 'namespace', 'cluster', 'job', 'instance'],
      related: { windowMs: 10 * 60_000, mode: 'offer' },
    });
    expect(result.config.severityRules).toEqual(DEFAULT_SEVERITY_RULES);
    const tuned = loadConfig({
      env: {},
      file: {
        alerts: {
          max_body_bytes: 2048,
          flap_window: '90s',
          slack_min_interval: '250ms',
          max_concurrent_intake: 2,
          max_queued_intake: 10,
          related: { window: '3m', mode: 'join' },
        },
      },
    });
    expect(tuned.ok && tuned.config.alerts).toEqual({
      maxBodyBytes: 2048,
      flapWindowMs: 90_000,
      slackMinIntervalMs: 250,
      maxConcurrentIntake: 2,
      maxQueuedIntake: 10,
      contextLabels: ['alertname', 'service', 'severity', 'namespace', 'cluster', 'job', 'instance'],
      related: { windowMs: 3 * 60_000, mode: 'join' },
    });
  });

  it('names bad keys in the rules file and the alerts section', () => {
    const rules =
      'rules:\n  - id: Bad Id\n    severity: P7\n    urgency: now\n    when: { any: [{ signal: error_rate, op: ">", value: high }] }\n';
    const result = loadConfig({
      env: {},
      file: { severity_rules_file: 'my-rules.yml', alerts: { max_body_bytes: 'big', flap_window: 'soon', related: { mode: 'merge' } } },
      readFile: () => rules,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const all = result.errors.join('\n');
    for (const expected of [
      'alerts.max_body_bytes',
      'alerts.flap_window: "soon" is not a duration',
      'alerts.related.mode',
      'my-rules.yml: rules[0].id',
      'my-rules.yml: rules[0].severity',
    ])
      expect(all).toContain(expected);
  });

  it('a named rules file that is missing is an error; the default one missing means the built-in rules', () => {
    const enoent = () => {
      throw Object.assign(new Error('x'), { code: 'ENOENT' });
    };
    const named = loadConfig({ env: {}, file: { severity_rules_file: 'nope.yml' }, readFile: enoent });
    expect(named).toEqual({ ok: false, errors: ['nope.yml (severity_rules_file): file not found'] });
    const fallback = loadConfig({ env: {}, file: {}, readFile: enoent });
    expect(fallback.ok && fallback.config.severityRules).toEqual(DEFAULT_SEVERITY_RULES);
  });
});
