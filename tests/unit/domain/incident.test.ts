import { describe, expect, it } from 'vitest';
import * as d from '../../../src/domain/incident';
import { slackText } from '../../../src/adapters/outbound/slack/views/slack-text';

const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
const base = () => ({
  ...d.createIncident('INC-20261121-001', { title: 'checkout errors', severity: 'P1', openedBy: 'U1' }, T0).incident,
  version: 1,
});

describe('incident entity', () => {
  it('opens investigating, unacknowledged, unconfirmed, with an opened event', () => {
    const { incident, events } = d.createIncident('INC-20261121-001', { title: 't', severity: 'P2', openedBy: 'U1' }, T0);
    expect(incident).toMatchObject({ status: 'investigating', acknowledgedAt: null, severityConfirmed: null, createdAt: T0 });
    expect(events).toEqual([expect.objectContaining({ kind: 'opened', actor: 'U1', at: T0 })]);
  });

  it('acknowledges once; a second acknowledgement is refused with who did it', () => {
    const first = d.acknowledge(base(), 'U2', T0 + 1000);
    expect(first.ok && first.incident.acknowledgedBy).toBe('U2');
    const second = first.ok ? d.acknowledge(first.incident, 'U3', T0 + 2000) : first;
    expect(second).toMatchObject({ ok: false, code: 'incident.already_acknowledged' });
    // The refusal names the person as a reference; Slack shows it as a mention.
    expect(!second.ok && slackText(second.reason)).toContain('<@U2>');
  });

  it('taking command acknowledges an unacknowledged incident', () => {
    const r = d.assignCommander(base(), 'U2', 'U2', T0 + 5);
    expect(r.ok && r.incident).toMatchObject({ commander: 'U2', acknowledgedAt: T0 + 5 });
    expect(r.ok && r.events.map((e) => e.kind)).toEqual(['commander', 'acknowledged']);
  });

  it('a human severity change confirms it; an automatic one clears confirmation', () => {
    const human = d.changeSeverity(base(), 'P0', 'U2', T0, { confirmed: true });
    expect(human.ok && human.incident.severityConfirmed).toEqual({ by: 'U2', at: T0 });
    const auto = human.ok
      ? d.changeSeverity({ ...human.incident, severity: 'P1' }, 'P0', 'alert:generic', T0, { confirmed: false, reason: 'rule' })
      : human;
    expect(auto.ok && auto.incident.severityConfirmed).toBeNull();
    expect(d.changeSeverity(base(), 'P1', 'U2', T0, { confirmed: true })).toMatchObject({ ok: false, code: 'incident.same_severity' });
  });

  it('a status update moves the lifecycle, restarts the update clock and acknowledges', () => {
    const r = d.postStatusUpdate(base(), { status: 'identified', text: 'bad deploy', by: 'U2' }, T0 + 60_000);
    expect(r.ok && r.incident).toMatchObject({
      status: 'identified',
      lastUpdateAt: T0 + 60_000,
      impact: 'bad deploy',
      acknowledgedBy: 'U2',
    });
    expect(r.ok && r.events.map((e) => e.kind)).toEqual(['status', 'acknowledged', 'status_update']);
  });

  it('a status update to an impossible status is refused and changes nothing', () => {
    const closed = { ...base(), status: 'closed' as const };
    expect(d.postStatusUpdate(closed, { status: 'monitoring', text: 'x', by: 'U2' }, T0)).toMatchObject({
      ok: false,
      code: 'incident.closed',
    });
    expect(d.postStatusUpdate(base(), { status: 'closed', text: 'x', by: 'U2' }, T0)).toMatchObject({ ok: false, code: 'update.close' });
  });

  it('resolve records time and summary; reopen clears the resolution time; close needs resolved', () => {
    expect(d.close(base(), 'U2', T0)).toMatchObject({ ok: false, code: 'transition.close_unresolved' });
    const resolved = d.resolve(base(), 'U2', T0 + 10, 'rolled back');
    expect(resolved.ok && resolved.incident).toMatchObject({ status: 'resolved', resolvedAt: T0 + 10, resolutionSummary: 'rolled back' });
    if (!resolved.ok) throw new Error('resolve refused');
    const reopened = d.reopen(resolved.incident, 'U3', T0 + 20);
    expect(reopened.ok && reopened.incident).toMatchObject({ status: 'investigating', resolvedAt: null });
    expect(reopened.ok && reopened.events[0]!.kind).toBe('reopened');
    const closed = d.close(resolved.incident, 'U2', T0 + 30);
    expect(closed.ok && closed.incident).toMatchObject({ status: 'closed', closedAt: T0 + 30 });
  });

  it('an empty note is refused', () => {
    expect(d.addNote(base(), '   ', 'U2', T0)).toMatchObject({ ok: false, code: 'note.empty' });
    const r = d.addNote(base(), ' saw spikes ', 'U2', T0);
    expect(r.ok && r.events[0]).toMatchObject({ kind: 'note', text: 'saw spikes' });
  });
});
