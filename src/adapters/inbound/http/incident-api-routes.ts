import { isRedisUnreachable } from '../../outbound/redis/is-redis-unreachable';
import type { CustomRoute } from '@slack/bolt';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IncidentService } from '../../../app/incident-service';
import type { Incident } from '../../../domain/incident';
import { activeChildren, sortChildren, type IncidentStorm } from '../../../domain/storm/alert-storm';
import { formatDuration } from '../../../domain/duration';
import { normalizeIncidentId } from '../../../domain/incident-id';
import type { TimelineEvent } from '../../../domain/timeline';
import type { Logger } from '../../../logger';
import { allowReadApi, sendError, sendJson } from './http-helpers';
import { plainText, type Phrase } from '../../../domain/phrase';
import { concealed } from '../../../domain/private-incident';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The read API's incident shape: times as ISO strings, SLA clocks with their state. */
/**
 * Recorded text for API readers, as the API has always given it: words as they are, people as
 * `<@U…>` (the id in Slack's reference notation, which readers already parse).
 */
function apiText(p: Phrase): string {
  return plainText(p, (id) => `<@${id}>`);
}

/** A storm parent's children, most severe first, with times as ISO strings. */
function stormJson(storm: IncidentStorm) {
  return {
    by: storm.by,
    window: formatDuration(storm.windowMs),
    threshold: storm.threshold,
    groups: activeChildren(storm).length,
    children: [...sortChildren(activeChildren(storm)), ...storm.children.filter((c) => c.split)].map((c) => ({
      groupKey: c.groupKey,
      name: c.name,
      severity: c.severity,
      firing: c.firing,
      resolved: c.resolved,
      joinedAt: iso(c.joinedAt),
      foldedFrom: c.foldedFrom ?? null,
      split: c.split ? { incidentId: c.split.incidentId, by: c.split.by, at: iso(c.split.at) } : null,
    })),
  };
}

export function incidentJson(service: IncidentService, stored: Incident, storedTimeline?: TimelineEvent[]) {
  const sla = service.sla(stored);
  // A private incident is read here as people outside it see it: no title, summary, updates or alert text.
  const incident = concealed(stored);
  const timeline = stored.private ? undefined : storedTimeline;
  return {
    id: incident.id,
    private: Boolean(stored.private),
    ...(stored.private ? {} : { title: incident.title, summary: incident.summary }),
    status: incident.status,
    severity: incident.severity,
    severityReason: apiText(incident.severityReason),
    severityConfirmed: incident.severityConfirmed ? { by: incident.severityConfirmed.by, at: iso(incident.severityConfirmed.at) } : null,
    commander: incident.commander,
    roles: { comms: incident.roles?.comms ?? null, scribe: incident.roles?.scribe ?? null, ops: incident.roles?.ops ?? null },
    service: incident.service,
    source: incident.source,
    openedBy: incident.openedBy,
    createdAt: iso(incident.createdAt),
    acknowledgedAt: iso(incident.acknowledgedAt),
    acknowledgedBy: incident.acknowledgedBy,
    resolvedAt: iso(incident.resolvedAt),
    closedAt: iso(incident.closedAt),
    lastUpdateAt: iso(incident.lastUpdateAt),
    resolutionSummary: incident.resolutionSummary === null ? null : apiText(incident.resolutionSummary),
    slack: { announcement: incident.announcement, channel: incident.channel },
    alerts: incident.alerts ? { ...incident.alerts, allResolvedAt: iso(incident.alerts.allResolvedAt) } : null,
    alertContext: incident.alertContext ?? null,
    sla: {
      clocks: sla.clocks.map((c) => ({
        name: c.name,
        dueAt: iso(c.dueAt),
        metAt: iso(c.metAt),
        breached: c.breached,
        overdueMs: c.overdueMs,
      })),
      escalations: sla.escalations.map((e) => ({ level: e.level, dueAt: iso(e.dueAt) })),
      // Breaches as they were recorded when their timer fired (the clocks above are derived now).
      ...(storedTimeline
        ? {
            breaches: storedTimeline
              .filter((e) => e.kind === 'sla_breach')
              .map((e) => ({
                at: iso(e.at),
                clock: e.details?.clock ?? null,
                severity: e.details?.severity ?? null,
                overdueMs: e.details?.overdueMs ?? null,
              })),
          }
        : {}),
    },
    oncall: incident.oncall ? { ...incident.oncall, at: iso(incident.oncall.at) } : null,
    // Live signals: at open, latest (the trend), a raise waiting for a person, gate 3's evidence.
    signals: incident.signals?.latest
      ? {
          atOpen: incident.signals.atOpen ? { ...incident.signals.atOpen, at: iso(incident.signals.atOpen.at) } : null,
          latest: { ...incident.signals.latest, at: iso(incident.signals.latest.at) },
          raiseProposal: incident.signals.raiseProposal
            ? { ...incident.signals.raiseProposal, at: iso(incident.signals.raiseProposal.at) }
            : null,
          recovery: incident.signals.recovery ? { ...incident.signals.recovery, at: iso(incident.signals.recovery.at) } : null,
        }
      : null,
    // A rehearsal: consumers that count incidents leave these out.
    drill: incident.drill ?? null,
    storm: incident.storm ? stormJson(incident.storm) : null,
    mergedInto: incident.mergedInto ?? null,
    ...(timeline
      ? {
          timeline: timeline.map((e) => ({
            id: e.id,
            at: iso(e.at),
            actor: e.actor,
            kind: e.kind,
            text: apiText(e.text),
            details: e.details ?? {},
          })),
        }
      : {}),
  };
}

/** GET /api/incidents and /api/incidents/:id, behind the API_TOKEN bearer token. */
export function incidentApiRoutes(
  service: IncidentService,
  apiToken: string | undefined,
  log: Logger,
  /** Live alert counts, repeats included (the incident itself stores only distinct alerts). */
  alertCounts?: (incidentId: string) => Promise<{ receipts: number } | null>,
): CustomRoute[] {
  const guard = (req: IncomingMessage, res: ServerResponse): boolean => allowReadApi(req, res, apiToken);
  const safely =
    (handler: (req: IncomingMessage & { params?: Record<string, string | string[]> }, res: ServerResponse) => Promise<void>) =>
    async (req: IncomingMessage & { params?: Record<string, string | string[]> }, res: ServerResponse) => {
      try {
        if (guard(req, res)) await handler(req, res);
      } catch (error) {
        if (isRedisUnreachable(error)) log.debug({ err: error, url: req.url }, 'read API: Redis unreachable');
        else log.error({ err: error, url: req.url }, 'read API failed');
        sendError(res, 503, 'unavailable', 'The incident store did not answer; try again shortly.', { 'retry-after': '5' });
      }
    };
  return [
    {
      path: '/api/incidents',
      method: ['GET'],
      handler: safely(async (req, res) => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const status = url.searchParams.get('status') ?? 'open';
        if (status !== 'open' && status !== 'all') return sendError(res, 400, 'bad_status', 'status must be "open" or "all".');
        const limit = Number(url.searchParams.get('limit') ?? 100);
        if (!Number.isInteger(limit) || limit < 1 || limit > 500)
          return sendError(res, 400, 'bad_limit', 'limit must be a whole number from 1 to 500.');
        const incidents = status === 'open' ? await service.listOpen(limit) : await service.listAll(limit);
        sendJson(res, 200, { incidents: incidents.slice(0, limit).map((i) => incidentJson(service, i)) });
      }),
    },
    {
      path: '/api/incidents/:id',
      method: ['GET'],
      handler: safely(async (req, res) => {
        const id = normalizeIncidentId(String(req.params?.id ?? ''));
        if (!id) return sendError(res, 400, 'bad_id', 'Incident ids look like INC-20261121-001.');
        // One read: read one after the other, a timeline entry could show a change the incident
        // does not (e.g. "monitoring" beside a status still "investigating").
        const stored = await service.getWithTimeline(id);
        if (!stored) return sendError(res, 404, 'not_found', `No incident ${id}.`);
        const json = incidentJson(service, stored.incident, stored.timeline);
        const counts = json.alerts && alertCounts ? await alertCounts(id) : null;
        sendJson(res, 200, counts && json.alerts ? { ...json, alerts: { ...json.alerts, receipts: counts.receipts } } : json);
      }),
    },
  ];
}
