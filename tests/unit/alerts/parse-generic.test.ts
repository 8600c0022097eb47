import { describe, expect, it } from 'vitest';
import { parseGeneric } from '../../../src/adapters/inbound/alerts/parse-generic';
import { clone, loadFixture } from './load-fixture';

const full = loadFixture('generic/checkout_latency.json');

function parseOk(body: unknown) {
  const result = parseGeneric(body);
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.reason}`);
  return result.batch;
}

describe('parseGeneric', () => {
  it('normalizes the documented example', () => {
    expect(parseOk(full)).toEqual({
      source: 'generic',
      truncatedAlerts: 0,
      alerts: [
        {
          source: 'generic',
          groupKey: 'generic:checkout-latency',
          fingerprint: 'checkout-latency',
          status: 'firing',
          service: 'checkout',
          title: 'Checkout p95 above target',
          description: 'p95 1.2 s for 10 minutes after deploy 812',
          labels: { team: 'payments', env: 'prod', severity: 'P2' },
          signals: { p95_ms: 1200, error_rate: 4.2 },
          startsAt: Date.parse('2026-11-21T19:43:29Z'),
          endsAt: null,
          changedAt: Date.parse('2026-11-21T19:43:29Z'),
          links: [{ title: 'Dashboard', url: 'https://grafana.example/d/checkout' }],
          severityLabel: 'P2',
          deliveryId: null,
        },
      ],
    });
  });

  it('fills defaults for a minimal alert', () => {
    const alert = parseOk(loadFixture('generic/checkout_latency_resolved.json')).alerts[0]!;
    expect(alert).toMatchObject({
      status: 'resolved',
      service: null,
      description: '',
      labels: {},
      signals: {},
      links: [],
      startsAt: null,
      severityLabel: null,
    });
    expect(parseOk({ dedup_key: 'k', title: 't' }).alerts[0]!.status).toBe('firing');
  });

  it('orders a firing by starts_at and a resolution by ends_at; without them arrival order decides', () => {
    const base = { dedup_key: 'k', title: 't', starts_at: '2026-11-21T19:00:00Z' };
    expect(parseOk(base).alerts[0]!.changedAt).toBe(Date.parse('2026-11-21T19:00:00Z'));
    expect(parseOk({ ...base, status: 'resolved', ends_at: '2026-11-21T19:30:00Z' }).alerts[0]!.changedAt).toBe(
      Date.parse('2026-11-21T19:30:00Z'),
    );
    expect(parseOk({ ...base, status: 'resolved' }).alerts[0]!.changedAt).toBeNull();
  });

  it.each([0, 100, 15.01])('accepts error_rate %s (percent)', (rate) => {
    expect(parseOk({ dedup_key: 'k', title: 't', signals: { error_rate: rate } }).alerts[0]!.signals.error_rate).toBe(rate);
  });

  const broken: [string, (b: any) => void, string][] = [
    ['missing dedup_key', (b) => delete b.dedup_key, 'dedup_key: required'],
    ['empty dedup_key', (b) => (b.dedup_key = ''), 'dedup_key:'],
    ['dedup_key too long', (b) => (b.dedup_key = 'x'.repeat(201)), 'dedup_key:'],
    ['missing title', (b) => delete b.title, 'title: required'],
    ['blank title', (b) => (b.title = '   '), 'title:'],
    ['bad status', (b) => (b.status = 'open'), 'status: expected "firing" or "resolved"'],
    ['bad severity', (b) => (b.severity = 'critical'), 'severity: expected one of "P0", "P1", "P2", "P3"'],
    ['unknown signal (typo)', (b) => (b.signals.error_rat = 18), 'signals: unknown signal "error_rat"; known signals: error_rate'],
    ['error_rate above 100', (b) => (b.signals.error_rate = 180), 'signals.error_rate:'],
    ['negative failure_rate', (b) => (b.signals.failure_rate = -1), 'signals.failure_rate:'],
    ['error_rate as string', (b) => (b.signals.error_rate = '18%'), 'signals.error_rate: expected number'],
    ['data_loss as string', (b) => (b.signals.data_loss = 'true'), 'signals.data_loss: expected boolean'],
    ['zero p95 target', (b) => (b.signals.p95_target_ms = 0), 'signals.p95_target_ms:'],
    ['label value not a string', (b) => (b.labels.team = 3), 'labels.team: expected string'],
    ['link without url', (b) => delete b.links[0].url, 'links[0].url: required'],
    ['javascript link', (b) => (b.links[0].url = 'javascript:alert(1)'), 'links[0].url: expected an http(s) URL'],
    ['bad starts_at', (b) => (b.starts_at = 'now'), 'starts_at: expected an ISO 8601 timestamp'],
    ['unknown top-level key', (b) => (b.sevrity = 'P1'), '(root): unknown key "sevrity"'],
  ];
  it.each(broken)('refuses %s, naming the field', (_name, breakIt, fragment) => {
    const body = clone(full);
    breakIt(body);
    const result = parseGeneric(body);
    expect(result).toMatchObject({ ok: false, code: 'alert.invalid_payload' });
    if (!result.ok) expect(result.reason).toContain(fragment);
  });
});
