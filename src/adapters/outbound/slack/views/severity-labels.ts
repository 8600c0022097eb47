import type { IncidentStatus } from '../../../../domain/lifecycle';
import type { Severity } from '../../../../domain/severity';
import type { SlaClockName } from '../../../../domain/sla-policy';

export const SEVERITY_EMOJI: Record<Severity, string> = { P0: ':red_circle:', P1: ':large_orange_circle:', P2: ':large_yellow_circle:', P3: ':white_circle:' };

export const STATUS_LABEL: Record<IncidentStatus, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
  closed: 'Closed',
};

export const CLOCK_LABEL: Record<SlaClockName, string> = {
  first_response: 'First response',
  next_update: 'Next update',
  resolution: 'Resolve by',
  monitoring_end: 'Monitoring until',
};
