import { describe, expect, it } from 'vitest';
import { createIncident, type Incident } from '../../../src/domain/incident';
import { emptyAlerts } from '../../../src/domain/record-alert-state';
import {
  findStormChild,
  mergeIntoStorm,
  recordStormChild,
  splitStormChild,
  type IncidentStorm,
} from '../../../src/domain/storm/alert-storm';
import { stormBlocks } from '../../../src/adapters/outbound/slack/views/storm-blocks';
import { loadConfig } from '../../../src/config/load-config';
import type { Severity } from '../../../src/domain/severity';

const NOW = Date.UTC(2026, 11, 1, 12);

function parent(): Incident {
  const storm: IncidentStorm = { by: {}, windowMs: 120_000, threshold: 5, children: [] };
  const { incident } = createIncident(
    'INC-20261201-001',
    { title: 'Alert storm: 0 alert groups', severity: 'P3', openedBy: 'alert:alertmanager', alerts: emptyAlerts('storm:all:1'), storm },
    NOW,
  );
  return incident;
}

function join(p: Incident, groupKey: string, severity: Severity, firing = 1, name = groupKey): Incident {
  const r = recordStormChild(p, { groupKey, name, severity, firing, resolved: 0 }, 'alert:alertmanager', NOW, null);
  if (!r.ok) throw new Error(String(r.reason));
  return r.incident;
}

describe('alert storm domain', () => {
  it('joins children: title counts them, severity is the highest, the reason says it is a storm', () => {
    let p = join(parent(), 'g1', 'P3');
    p = join(p, 'g2', 'P1');
    p = join(p, 'g3', 'P2');
    expect(p.title).toBe('Alert storm: 3 alert groups');
    expect(p.severity).toBe('P1');
    expect(p.severityReason).toBe('Alert storm: 3 new alert groups within 2m (storm threshold 5); P1 is the highest of its groups (g2).');
    // A repeat of a known child's counts changes its line, not the list.
    p = join(p, 'g1', 'P3', 4);
    expect(p.storm!.children).toHaveLength(3);
    expect(p.storm!.children.find((c) => c.groupKey === 'g1')!.firing).toBe(4);
    // Never lowered by a calmer child.
    expect(join(p, 'g2', 'P3', 2).severity).toBe('P1');
  });

  it.each([
    ['unknown name', 'nope', 'storm.unknown_child'],
    ['two groups share a name', 'Dup', 'storm.ambiguous_child'],
  ])('split refuses: %s', (_case, which, code) => {
    let p = join(parent(), 'g1', 'P3', 1, 'Dup');
    p = join(p, 'g2', 'P3', 1, 'Dup');
    const r = findStormChild(p, which);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.code).toBe(code);
  });

  it('split marks the child; a second split is refused; a normal incident is not a storm', () => {
    const p = join(join(parent(), 'g1', 'P2'), 'g2', 'P3');
    const split = splitStormChild(p, 'g1', 'INC-20261201-009', 'U1', NOW);
    expect(split.ok && split.incident.title).toBe('Alert storm: 1 alert group');
    if (!split.ok) throw new Error('split refused');
    const again = findStormChild(split.incident, 'g1');
    expect(!again.ok && again.code).toBe('storm.already_split');
    const { incident: plain } = createIncident('INC-20261201-002', { title: 'x', severity: 'P2', openedBy: 'U1' }, NOW);
    const r = findStormChild(plain, 'g1');
    expect(!r.ok && r.code).toBe('storm.not_storm');
  });

  it('merging an early incident resolves it with the reason, once', () => {
    const { incident } = createIncident('INC-20261201-003', { title: 'early', severity: 'P1', openedBy: 'alert:x' }, NOW);
    const merged = mergeIntoStorm(incident, 'INC-20261201-001', NOW);
    expect(merged.ok && merged.incident).toMatchObject({ status: 'resolved', mergedInto: 'INC-20261201-001' });
    if (!merged.ok) throw new Error('refused');
    expect(merged.incident.gates?.recoveryOverride?.reason).toContain('Joined alert storm INC-20261201-001');
    expect(mergeIntoStorm(merged.incident, 'INC-20261201-001', NOW).ok).toBe(false);
  });

  it('the list stays within Block Kit limits, most severe first, hostile names escaped, "and N more"', () => {
    let p = parent();
    for (let i = 0; i < 300; i += 1)
      p = join(p, `g${i}`, i === 250 ? 'P0' : 'P3', 1, i === 7 ? '<!channel> *bold* ‮x'.padEnd(3100, 'y') : `Alert${i}`);
    const blocks = stormBlocks(p);
    const texts = blocks.map((b) => JSON.stringify(b));
    for (const b of blocks) {
      const text = (b as { text?: { text: string } }).text?.text;
      if (text) expect(text.length).toBeLessThanOrEqual(3000);
    }
    const list = (blocks[1] as { text: { text: string } }).text.text;
    expect(list.split('\n')[0]).toContain('[P0] Alert250');
    expect(list).toContain('and 280 more');
    expect(texts.join('')).not.toContain('<!channel>');
  });
});

describe('alerts.correlate config', () => {
  const load = (correlate?: unknown) =>
    loadConfig({ env: { REDIS_PREFIX: 't:' }, file: correlate === undefined ? {} : { alerts: { correlate } } });
  it.each([
    ['default: on', undefined, { windowMs: 120_000, threshold: 5, by: [] }],
    ['false: off', false, null],
    ['by labels', { window: '30s', threshold: 10, by: ['cluster'] }, { windowMs: 30_000, threshold: 10, by: ['cluster'] }],
  ])('%s', (_case, value, expected) => {
    const r = load(value);
    expect(r.ok && r.config.alerts.correlate).toEqual(expected);
  });
  it.each([
    [{ threshold: 1 }, 'alerts.correlate'],
    [{ window: 'soon' }, 'alerts.correlate'],
    [{ by: 'cluster' }, 'alerts.correlate'],
  ])('refuses %j naming the key', (value, key) => {
    const r = load(value);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors.join('\n')).toContain(key);
  });
});
