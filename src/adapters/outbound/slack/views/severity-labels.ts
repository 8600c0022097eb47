import type { IncidentStatus } from '../../../../domain/lifecycle';
import type { Severity } from '../../../../domain/severity';
import type { SlaClockName } from '../../../../domain/sla-policy';

export const SEVERITY_EMOJI: Record<Severity, string> = {
  P0: ':red_circle:',
  P1: ':large_orange_circle:',
  P2: ':large_yellow_circle:',
  P3: ':white_circle:',
};

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

/**
 * The announcement's header emoji: the severity colour while the incident is open, then the
 * state, so a glance at the channel tells which incidents are over.
 */
export function headerEmoji(severity: Severity, status: IncidentStatus): string {
  if (status === 'resolved') return ':white_check_mark:';
  if (status === 'closed') return ':lock:';
  return SEVERITY_EMOJI[severity];
}
