import { describe, expect, it } from 'vitest';
import { announcementView } from '../../../src/adapters/outbound/slack/views/announcement-view';
import { incidentDetailBlocks } from '../../../src/adapters/outbound/slack/views/incident-detail-view';
import { stormKeyBlocks } from '../../../src/adapters/outbound/slack/views/storm-blocks';
import type { Incident } from '../../../src/domain/incident';
import type { StormChild } from '../../../src/domain/storm/alert-storm';
import { HOSTILE, LONG, T0, expectNeutralised, expectWithinLimits, incident, sla } from './render-fixtures';

/** A storm parent of 300 groups, some named with hostile or overlong sender text. */
function stormParent(): Incident {
  const children: StormChild[] = Array.from({ length: 300 }, (_, i) => ({
    groupKey: i % 50 === 3 ? `{}:{alertname="${HOSTILE}"}` : `{}:{alertname="A${i}"}`,
    name: i % 50 === 3 ? HOSTILE : i === 10 ? LONG : `A${i}`,
    severity: i === 299 ? 'P0' : 'P3',
    firing: 2,
    resolved: 0,
    joinedAt: T0 + i,
    ...(i === 5 ? { split: { incidentId: 'INC-20261121-009', by: 'U0ALICE', at: T0 } } : {}),
  }));
  return incident({
    title: 'Alert storm: 299 alert groups',
    severity: 'P0',
    alerts: {
      groupKey: 'storm:all:1',
      firing: 598,
      resolved: 0,
      total: 598,
      allResolvedAt: null,
      potentialFalsePositive: false,
      truncated: 0,
      seq: 300,
    },
    storm: { by: { cluster: HOSTILE }, windowMs: 120_000, threshold: 5, children },
  });
}

describe('storm parent views', () => {
  it('the announcement lists the children within Block Kit limits, hostile names neutralised', () => {
    const parent = stormParent();
    const view = announcementView({ incident: parent, sla: sla(parent), now: T0 });
    expectWithinLimits(view);
    expectNeutralised(view);
  });

  it('`/incident show` adds every group key, within limits, neutralised', () => {
    const parent = stormParent();
    const blocks = incidentDetailBlocks(parent, sla(parent), { entries: [], total: 0 }, T0, stormKeyBlocks(parent));
    expectWithinLimits({ blocks });
    expectNeutralised({ blocks });
  });

  it('a folded incident says which storm it joined', () => {
    const folded = incident({ status: 'resolved', resolvedAt: T0, mergedInto: 'INC-20261121-007', mergedAs: 'storm' });
    const view = announcementView({ incident: folded, sla: sla(folded), now: T0 });
    expectWithinLimits(view);
    expect(JSON.stringify(view.blocks)).toContain('Joined alert storm INC-20261121-007');
    expect(view.blocks.some((b) => b.type === 'actions')).toBe(false);
  });
});
