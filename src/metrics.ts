import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Every metric the bot exports, on a registry of its own (several apps can share a process in tests). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'incident_bot_' });
  const metrics = {
    registry,
    incidentsOpened: new Counter({
      name: 'incident_bot_incidents_opened_total',
      help: 'Incidents opened',
      labelNames: ['severity', 'source'],
      registers: [registry],
    }),
    incidentTransitions: new Counter({
      name: 'incident_bot_incident_transitions_total',
      help: 'Lifecycle moves',
      labelNames: ['to'],
      registers: [registry],
    }),
    alertsReceived: new Counter({
      name: 'incident_bot_alerts_received_total',
      help: 'Alerts received by source and outcome',
      labelNames: ['source', 'outcome'],
      registers: [registry],
    }),
    rollbacks: new Counter({
      name: 'incident_bot_rollbacks_total',
      help: 'Rollback executions by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    slaBreaches: new Counter({
      name: 'incident_bot_sla_breaches_total',
      help: 'SLA breaches by clock and severity',
      labelNames: ['kind', 'severity'],
      registers: [registry],
    }),
    remindersSent: new Counter({
      name: 'incident_bot_reminders_sent_total',
      help: 'SLA reminders posted (update, resolution warning, monitoring end, report missing)',
      labelNames: ['kind'],
      registers: [registry],
    }),
    escalations: new Counter({
      name: 'incident_bot_escalations_total',
      help: 'Escalations by level (1 pages on-call)',
      labelNames: ['level'],
      registers: [registry],
    }),
    timerLateness: new Histogram({
      name: 'incident_bot_timer_lateness_seconds',
      help: 'Timer fire time minus due time, by timer kind',
      labelNames: ['kind'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 30, 300, 3600],
      registers: [registry],
    }),
    pagerDutyEvents: new Counter({
      name: 'incident_bot_pagerduty_events_total',
      help: 'PagerDuty Events v2 calls by action and outcome',
      labelNames: ['action', 'outcome'],
      registers: [registry],
    }),
    slackRequestsRefused: new Counter({
      name: 'incident_bot_slack_requests_refused_total',
      help: 'Requests to /slack/events refused before Bolt (signature, timestamp, workspace, app, shape)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    slackErrors: new Counter({
      name: 'incident_bot_slack_api_errors_total',
      help: 'Slack Web API errors',
      labelNames: ['method', 'error'],
      registers: [registry],
    }),
    githubErrors: new Counter({
      name: 'incident_bot_github_errors_total',
      help: 'GitHub API errors',
      labelNames: ['operation'],
      registers: [registry],
    }),
    timeToAcknowledge: new Histogram({
      name: 'incident_bot_time_to_acknowledge_seconds',
      help: 'Opening to first response',
      labelNames: ['severity'],
      buckets: [30, 60, 300, 900, 1800, 3600, 14400],
      registers: [registry],
    }),
    signalReadSeconds: new Histogram({
      name: 'incident_bot_signal_read_seconds',
      help: "Reading a service's live signals at open (all queries in parallel)",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    signalChartRenderSeconds: new Histogram({
      name: 'incident_bot_signal_chart_render_seconds',
      help: 'Drawing one signal chart as a PNG, in-process (ECharts SVG + resvg)',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    timeToResolve: new Histogram({
      name: 'incident_bot_time_to_resolve_seconds',
      help: 'Opening to resolution',
      labelNames: ['severity'],
      buckets: [300, 900, 1800, 3600, 14400, 86400, 604800],
      registers: [registry],
    }),
  };
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;
