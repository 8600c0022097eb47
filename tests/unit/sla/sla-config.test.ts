import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../../../src/config/load-config';

describe('SLA config (escalation, pagerduty, sla)', () => {
  it('the shipped config/default.yml gives the defaults', () => {
    const result = loadConfig({ env: {}, readFile: (p) => readFileSync(p, 'utf8') });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.sla.pagerDuty).toEqual({
      enabled: true,
      escalationPolicy: null,
      pageSeverities: ['P0', 'P1'],
      onCallRefreshMs: 30 * 60_000,
      inviteOnCall: true,
    });
    expect(result.config.sla.planOptions).toEqual({ resolutionWarningBeforeMs: 600_000, reportMissingAfterMs: 2 * 86_400_000 });
  });

  it('reads contacts, per-service overrides and durations', () => {
    const result = loadConfig({
      env: {},
      file: {
        escalation: { level2: ['U0LEAD', 'S0SRE'], level3: ['W0CTO'] },
        pagerduty: { escalation_policy: 'PABC123', page_severities: ['P0'], oncall_refresh: '10m', invite_oncall: false },
        sla: { resolution_warning: '5m', report_reminder_after: '3d' },
        services: [{ name: 'checkout', escalation: { level2: ['U0CHECKOUT'] }, pagerduty_escalation_policy: 'PCHK999' }],
      },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.sla).toMatchObject({
      escalation: { level2: ['U0LEAD', 'S0SRE'], level3: ['W0CTO'] },
      pagerDuty: { enabled: true, escalationPolicy: 'PABC123', pageSeverities: ['P0'], onCallRefreshMs: 600_000, inviteOnCall: false },
      planOptions: { resolutionWarningBeforeMs: 300_000, reportMissingAfterMs: 3 * 86_400_000 },
      services: { checkout: { escalation: { level2: ['U0CHECKOUT'] }, escalationPolicy: 'PCHK999' } },
    });
  });

  it('names every bad key', () => {
    const result = loadConfig({
      env: {},
      file: {
        escalation: { level2: ['@alice'], level4: [] },
        pagerduty: { enabled: 'yes', escalation_policy: 'policy-1', services: {}, oncall_refresh: '500ms' },
        sla: { resolution_warning: 'soon', report_reminder: '2d' },
        services: [{ name: 'checkout', escalation: { level2: ['dave'] }, pagerduty_escalation_policy: 'x' }],
      },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const all = result.errors.join('\n');
    for (const expected of [
      'escalation.level2[0]: must be a Slack user id (U0123ABCD) or user group id',
      'escalation: Unrecognized key',
      'pagerduty.enabled',
      'pagerduty.escalation_policy: must be a PagerDuty escalation policy id',
      'pagerduty: Unrecognized key',
      'pagerduty.oncall_refresh: must be at least 1s',
      'sla.resolution_warning: "soon" is not a duration',
      'sla: Unrecognized key',
      'services[0].escalation.level2[0]: must be a Slack user id',
      'services[0].pagerduty_escalation_policy',
    ])
      expect(all).toContain(expected);
  });
});
