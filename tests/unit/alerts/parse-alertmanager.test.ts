import { describe, expect, it } from 'vitest';
import { parseAlertmanager } from '../../../src/adapters/inbound/alerts/parse-alertmanager';
import { clone, loadFixture } from './load-fixture';

const firing2 = loadFixture('alertmanager/am025_webhook_v4_firing_2alerts.json');

function parseOk(body: unknown) {
  const result = parseAlertmanager(body);
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.reason}`);
  return result.batch;
}

function refusal(body: unknown) {
  const result = parseAlertmanager(body);
  if (result.ok) throw new Error('expected a refusal');
  expect(result.code).toBe('alert.invalid_payload');
  return result.reason;
}

describe('parseAlertmanager with captured Alertmanager 0.25 requests', () => {
  it('normalizes the two-alert firing group', () => {
    const batch = parseOk(firing2);
    expect(batch).toMatchObject({ source: 'alertmanager', truncatedAlerts: 0, receiver: 'incident-bot' });
    expect(batch.alerts).toHaveLength(2);
    expect(batch.alerts[0]).toEqual({
      source: 'alertmanager',
      groupKey: '{}:{alertname="HighErrorRate", service="checkout"}',
      fingerprint: 'b1c11497b32ce15e',
      status: 'firing',
      service: 'checkout',
      title: '5xx rate above 5%',
      description: 'checkout 5xx ratio is 7.3%',
      labels: { alertname: 'HighErrorRate', instance: 'web-1', service: 'checkout', severity: 'critical' },
      signals: {},
      startsAt: Date.parse('2026-11-21T19:43:29Z'),
      endsAt: null,
      changedAt: Date.parse('2026-11-21T19:43:29Z'),
      links: [
        { title: 'Source', url: 'http://prometheus.local/graph?g0.expr=x' },
        { title: 'Runbook', url: 'https://runbooks.example/checkout' },
      ],
      severityLabel: 'critical',
      deliveryId: null,
    });
    // An empty generatorURL is not a link.
    expect(batch.alerts[1]!.links).toEqual([]);
    expect(batch.alerts[1]!.fingerprint).toBe('5308e11450d376b3');
  });

  it.each([
    ['am025_webhook_v4_resolved.json', 'resolved', 2, Date.parse('2026-11-21T19:43:32Z')],
    ['am025_webhook_v4_firing_amtool.json', 'firing', 1, null],
    ['prom242_am025_e2e_firing.json', 'firing', 1, null],
    ['prom242_am025_e2e_resolved.json', 'resolved', 1, Date.parse('2026-11-21T19:43:24.263Z')],
  ])('%s → %s, %i alert(s), endsAt %s', (file, status, count, endsAt) => {
    const batch = parseOk(loadFixture(`alertmanager/${file}`));
    expect(batch.alerts).toHaveLength(count);
    for (const alert of batch.alerts) {
      expect(alert.status).toBe(status);
      expect(alert.endsAt).toBe(endsAt);
      expect(alert.groupKey).toBe(loadFixture(`alertmanager/${file}`).groupKey);
    }
  });

  it('keeps sub-second start times', () => {
    expect(parseOk(loadFixture('alertmanager/prom242_am025_e2e_firing.json')).alerts[0]!.startsAt).toBe(
      Date.parse('2026-11-21T19:43:22.263Z'),
    );
  });

  it.each(['am025_webhook_request_full.json', 'am025_webhook_request_with_bearer_auth.json'])(
    'parses the body of the raw HTTP capture %s',
    (file) => {
      const capture = loadFixture(`alertmanager/${file}`);
      expect(capture.headers['user-agent']).toBe('Alertmanager/0.25.0');
      const batch = parseOk(JSON.parse(capture.body));
      expect(batch.receiver).toBe(JSON.parse(capture.body).receiver);
      expect(batch.alerts.length).toBeGreaterThan(0);
    },
  );
});

describe('parseAlertmanager field mapping', () => {
  it.each([
    [{ service: 'checkout', job: 'api', app: 'web' }, 'checkout'],
    [{ job: 'api', app: 'web' }, 'api'],
    [{ app: 'web' }, 'web'],
    [{ service: '', job: 'api' }, 'api'],
    [{}, null],
  ])('service from labels %o → %s', (extra, service) => {
    const body = clone(firing2);
    body.alerts[0].labels = { alertname: 'X', ...extra };
    expect(parseOk(body).alerts[0]!.service).toBe(service);
  });

  it('title falls back to alertname when there is no summary', () => {
    const body = clone(firing2);
    body.alerts[0].annotations = {};
    expect(parseOk(body).alerts[0]!.title).toBe('HighErrorRate');
  });

  it('refuses an alert without fingerprint, naming it (Alertmanager always sends one)', () => {
    const body = clone(firing2);
    delete body.alerts[0].fingerprint;
    const result = parseAlertmanager(body);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain('alerts[0].fingerprint');
  });

  it('reads signals from labels and annotations, annotations winning', () => {
    const body = clone(firing2);
    body.alerts[0].labels.error_rate = '3';
    body.alerts[0].labels.data_loss = 'no';
    body.alerts[0].annotations = {
      ...body.alerts[0].annotations,
      error_rate: '18%',
      p95_ms: '1.2s',
      p95_target_ms: '400ms',
      unresponsive: 'TRUE',
      failure_rate_ratio: '0.55',
    };
    expect(parseOk(body).alerts[0]!.signals).toEqual({
      error_rate: 18,
      data_loss: false,
      p95_ms: 1200,
      p95_target_ms: 400,
      unresponsive: true,
      failure_rate: 55,
    });
  });

  it('carries a large truncatedAlerts count through', () => {
    const body = clone(firing2);
    body.truncatedAlerts = 250_000;
    expect(parseOk(body).truncatedAlerts).toBe(250_000);
  });
});

describe('parseAlertmanager refusals name the bad field', () => {
  const broken: [string, (b: any) => void, string][] = [
    ['wrong version', (b) => (b.version = '3'), 'version: expected "4"'],
    ['numeric version', (b) => (b.version = 4), 'version: expected "4"'],
    ['missing groupKey', (b) => delete b.groupKey, 'groupKey: required'],
    ['empty alerts', (b) => (b.alerts = []), 'alerts: expected at least one alert'],
    ['alerts not an array', (b) => (b.alerts = {}), 'alerts: expected array'],
    ['bad alert status', (b) => (b.alerts[1].status = 'pending'), 'alerts[1].status: expected "firing" or "resolved"'],
    ['missing labels', (b) => delete b.alerts[0].labels, 'alerts[0].labels: required'],
    ['non-string label', (b) => (b.alerts[0].labels.instance = 1), 'alerts[0].labels.instance: expected string'],
    ['label name needing quotes', (b) => (b.alerts[0].labels['a-b'] = true), 'alerts[0].labels["a-b"]: expected string'],
    ['bad startsAt', (b) => (b.alerts[0].startsAt = 'yesterday'), 'alerts[0].startsAt: expected an RFC 3339 timestamp'],
    ['negative truncatedAlerts', (b) => (b.truncatedAlerts = -1), 'truncatedAlerts:'],
    ['fractional truncatedAlerts', (b) => (b.truncatedAlerts = 1.5), 'truncatedAlerts: expected int'],
    ['huge unsafe truncatedAlerts', (b) => (b.truncatedAlerts = 1e20), 'truncatedAlerts:'],
    ['truncatedAlerts as string', (b) => (b.truncatedAlerts = '3'), 'truncatedAlerts: expected number'],
    ['bad signal value', (b) => (b.alerts[0].annotations.error_rate = 'high'), 'alerts[0].annotations.error_rate: expected a percentage'],
    [
      'rate over 100%',
      (b) => (b.alerts[0].annotations.error_rate = '180'),
      'alerts[0].annotations.error_rate: expected a percentage between 0 and 100',
    ],
    [
      'ratio over 1',
      (b) => (b.alerts[0].annotations.error_rate_ratio = '18'),
      'alerts[0].annotations.error_rate_ratio: expected a ratio between 0 and 1',
    ],
    [
      'same signal twice',
      (b) => Object.assign(b.alerts[1].annotations, { error_rate: '18', error_rate_ratio: '0.18' }),
      'alerts[1].annotations.error_rate_ratio: error_rate is also given as annotations.error_rate',
    ],
    ['bad boolean label', (b) => (b.alerts[0].labels.data_loss = 'maybe'), 'alerts[0].labels.data_loss: expected true or false'],
  ];
  it.each(broken)('%s', (_name, breakIt, fragment) => {
    const body = clone(firing2);
    breakIt(body);
    expect(refusal(body)).toContain(fragment);
  });

  it.each([
    [null, '(root): expected object'],
    ['text', '(root): expected object'],
    [[], '(root): expected object'],
  ])('refuses a non-object body %j', (body, fragment) => {
    expect(refusal(body)).toContain(fragment);
  });
});
