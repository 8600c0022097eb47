import { describe, expect, it } from 'vitest';
import { parsePagerDuty } from '../../../src/adapters/inbound/alerts/parse-pagerduty';
import { clone, loadFixture } from './load-fixture';

const triggered = loadFixture('pagerduty/incident_triggered.json');

function parseOk(body: unknown) {
  const result = parsePagerDuty(body);
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.reason}`);
  return result.batch;
}

describe('parsePagerDuty', () => {
  it('normalizes incident.triggered', () => {
    const batch = parseOk(triggered);
    expect(batch).toEqual({
      source: 'pagerduty',
      truncatedAlerts: 0,
      // PagerDuty runs its own incident: its resolution is recorded here, never acted on.
      upstream: { name: 'PagerDuty' },
      alerts: [
        {
          source: 'pagerduty',
          groupKey: 'pagerduty:Q2K7ZX1ABCDEF0',
          fingerprint: 'Q2K7ZX1ABCDEF0',
          status: 'firing',
          service: 'checkout',
          title: 'Checkout 5xx ratio above 15%',
          description: '',
          labels: {
            pd_service_id: 'PF9KMXH',
            pd_status: 'triggered',
            urgency: 'high',
            priority: 'P1',
            pd_incident_number: '4231',
            incident_key: 'd3640fbd41094207a1c11e58e46b1662',
            severity: 'P1',
          },
          signals: {},
          startsAt: Date.parse('2026-11-21T19:43:29Z'),
          endsAt: null,
          // Ordered by the event's occurred_at, not the incident's created_at.
          changedAt: Date.parse('2026-11-21T19:43:30Z'),
          links: [{ title: 'PagerDuty incident', url: 'https://acme.pagerduty.com/incidents/Q2K7ZX1ABCDEF0' }],
          severityLabel: 'P1',
          deliveryId: '01DFTR5HQ2RB0QYLR8GHV9UVSC',
          pdStatus: 'triggered',
        },
      ],
    });
  });

  it.each([
    ['incident_acknowledged.json', 'firing', 'acknowledged', null],
    ['incident_resolved.json', 'resolved', 'resolved', Date.parse('2026-11-21T20:10:00.000Z')],
  ])('%s → %s (pdStatus %s)', (file, status, pdStatus, endsAt) => {
    const body = loadFixture(`pagerduty/${file}`);
    const alert = parseOk(body).alerts[0]!;
    expect(alert).toMatchObject({ status, pdStatus, endsAt, groupKey: 'pagerduty:Q2K7ZX1ABCDEF0', deliveryId: body.event.id });
  });

  it('treats incident.reopened as firing again', () => {
    const body = clone(loadFixture('pagerduty/incident_resolved.json'));
    body.event.event_type = 'incident.reopened';
    body.event.data.status = 'triggered';
    expect(parseOk(body).alerts[0]!.status).toBe('firing');
  });

  it('falls back to urgency for the severity word when there is no priority', () => {
    const body = clone(triggered);
    body.event.data.priority = null;
    body.event.data.urgency = 'low';
    const alert = parseOk(body).alerts[0]!;
    expect(alert.severityLabel).toBe('low');
    expect(alert.labels.severity).toBe('low');
    expect(alert.labels).not.toHaveProperty('priority');
  });

  it.each(['incident.annotated', 'incident.escalated', 'service.updated', 'incident.priority_updated'])(
    'ignores %s with pagerduty.ignored_event',
    (eventType) => {
      const body = eventType === 'incident.annotated' ? loadFixture('pagerduty/incident_annotated.json') : clone(triggered);
      body.event.event_type = eventType;
      const result = parsePagerDuty(body);
      expect(result).toMatchObject({ ok: false, code: 'pagerduty.ignored_event' });
      if (!result.ok) expect(result.reason).toContain(eventType);
    },
  );

  const broken: [string, (b: any) => void, string][] = [
    ['no event', (b) => delete b.event, 'event: required'],
    ['missing event id', (b) => delete b.event.id, 'event.id: required'],
    ['event_type not a string', (b) => (b.event.event_type = 7), 'event.event_type: expected string'],
    ['bad occurred_at', (b) => (b.event.occurred_at = 'soon'), 'event.occurred_at: expected an ISO 8601 timestamp'],
    ['missing incident id', (b) => delete b.event.data.id, 'event.data.id: required'],
    ['wrong data type', (b) => (b.event.data.type = 'incident_note'), 'event.data.type: expected "incident"'],
    [
      'bad incident status',
      (b) => (b.event.data.status = 'open'),
      'event.data.status: expected one of "triggered", "acknowledged", "resolved"',
    ],
    ['missing service', (b) => delete b.event.data.service, 'event.data.service: required'],
    ['service without id', (b) => delete b.event.data.service.id, 'event.data.service.id: required'],
    ['bad urgency', (b) => (b.event.data.urgency = 'medium'), 'event.data.urgency: expected "high" or "low"'],
  ];
  it.each(broken)('refuses %s, naming the field', (_name, breakIt, fragment) => {
    const body = clone(triggered);
    breakIt(body);
    const result = parsePagerDuty(body);
    expect(result).toMatchObject({ ok: false, code: 'alert.invalid_payload' });
    if (!result.ok) expect(result.reason).toContain(fragment);
  });
});
