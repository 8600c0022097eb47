import type { Incident } from '../../domain/incident';
import type { SlaAudience, SlaTarget } from '../ports/sla-notifier';

/**
 * Where an SLA notice goes: the incident's own channel, else the announcement's thread, else the
 * response channel; `incident_and_response` adds the channel the announcement is in (the response
 * channel) beside the incident's own.
 */
export function slaTargets(incident: Incident, audience: SlaAudience, responseChannel: string): SlaTarget[] {
  const response = incident.announcement?.channel ?? responseChannel;
  if (audience === 'incident_and_response') return [...(incident.channel ? [{ channel: incident.channel.id }] : []), { channel: response }];
  if (incident.channel) return [{ channel: incident.channel.id }];
  if (incident.announcement) return [{ channel: incident.announcement.channel, threadTs: incident.announcement.ts }];
  return [{ channel: response }];
}
