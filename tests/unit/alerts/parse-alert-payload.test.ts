import { describe, expect, it } from 'vitest';
import { detectAlertFormat, detectAndParse } from '../../../src/adapters/inbound/alerts/parse-alert-payload';
import { loadFixture } from './load-fixture';
import { ALERT_SOURCE_LIST } from '../../../src/adapters/inbound/alerts/alert-sources';

describe('detectAlertFormat', () => {
  it.each([
    ['alertmanager/am025_webhook_v4_firing_2alerts.json', 'alertmanager'],
    ['alertmanager/prom242_am025_e2e_resolved.json', 'alertmanager'],
    ['pagerduty/incident_triggered.json', 'pagerduty'],
    ['pagerduty/incident_annotated.json', 'pagerduty'],
    ['generic/checkout_latency.json', 'generic'],
  ])('%s is %s', (file, format) => {
    expect(detectAlertFormat(loadFixture(file))).toBe(format);
  });

  it.each([null, 'x', 3, [], {}, { alerts: [] }, { event: 'x' }])('%j is unknown', (body) => {
    expect(detectAlertFormat(body)).toBeNull();
  });
});

describe('detectAndParse', () => {
  it('parses each fixture with the detected parser', () => {
    const am = detectAndParse(loadFixture('alertmanager/am025_webhook_v4_firing_amtool.json'));
    const pd = detectAndParse(loadFixture('pagerduty/incident_resolved.json'));
    const generic = detectAndParse(loadFixture('generic/checkout_latency.json'));
    expect([am, pd, generic].map((r) => r.ok && r.batch.source)).toEqual(['alertmanager', 'pagerduty', 'generic']);
  });

  it('uses the hint instead of detecting', () => {
    const result = detectAndParse(loadFixture('generic/checkout_latency.json'), 'alertmanager');
    expect(result).toMatchObject({ ok: false, code: 'alert.invalid_payload' });
    if (!result.ok) expect(result.reason).toMatch(/^Alertmanager payload: version:/);
  });

  it('refuses an unknown shape with alert.unknown_format', () => {
    const result = detectAndParse({ hello: 'world' });
    expect(result).toMatchObject({ ok: false, code: 'alert.unknown_format' });
    if (!result.ok) expect(result.reason).toContain('dedup_key');
  });
});

describe('alert source registry', () => {
  it('a Grafana webhook (alerts, groupKey, version "1", orgId) is not taken for Alertmanager', () => {
    const grafana = {
      receiver: 'incident-bot',
      status: 'firing',
      orgId: 1,
      groupKey: '{}:{alertname="HighErrorRate"}',
      version: '1',
      title: '[FIRING:1] HighErrorRate',
      state: 'alerting',
      message: 'error rate high',
      truncatedAlerts: 0,
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'HighErrorRate' },
          annotations: {},
          startsAt: '2026-11-21T14:00:00Z',
          endsAt: '0001-01-01T00:00:00Z',
          fingerprint: 'abc',
        },
      ],
    };
    expect(detectAlertFormat(grafana)).toBeNull();
    const refused = detectAndParse(grafana);
    expect(refused).toMatchObject({ ok: false, code: 'alert.unknown_format' });
  });

  it('every source has its own route, and each fixture is detected by exactly one source', () => {
    expect(new Set(ALERT_SOURCE_LIST.map((s) => s.route)).size).toBe(ALERT_SOURCE_LIST.length);
    for (const [file, name] of [
      ['alertmanager/am025_webhook_v4_firing_2alerts.json', 'alertmanager'],
      ['pagerduty/incident_triggered.json', 'pagerduty'],
      ['generic/checkout_latency.json', 'generic'],
    ] as const) {
      const body = loadFixture(file) as Record<string, unknown>;
      expect(ALERT_SOURCE_LIST.filter((s) => s.detect(body)).map((s) => s.name)).toEqual([name]);
    }
  });
});
