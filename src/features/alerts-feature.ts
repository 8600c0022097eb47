import { alertRoutes } from '../adapters/inbound/http/alert-routes';
import { RedisAlertStore } from '../adapters/outbound/redis/redis-alert-store';
import { registerAlertActions } from '../adapters/inbound/slack/handlers/alert-actions';
import { AlertIntake } from '../app/alert-intake';
import { RelatedIncidents } from '../app/related-incidents';
import { RedisRecentIncidents } from '../adapters/outbound/redis/redis-recent-incidents';
import { registerRelatedActions } from '../adapters/inbound/slack/handlers/related-actions';
import type { CoreContext, Feature } from './feature';

/**
 * Alerts in: webhooks → intake → incidents. The intake also observes incidents,
 * so a group whose incident resolves opens a new one on its next firing alert.
 */
export function alertsFeature(core: CoreContext): Feature & { alertStore: RedisAlertStore; intake: AlertIntake } {
  const { config, redis, log, metrics, service } = core;
  const alertStore = new RedisAlertStore(redis, config.env.REDIS_PREFIX);
  const related = new RelatedIncidents({
    service,
    recent: new RedisRecentIncidents(redis, config.env.REDIS_PREFIX),
    alerts: alertStore,
    windowMs: config.alerts.related.windowMs,
    mode: config.alerts.related.mode,
    log: log.child({ component: 'related-incidents' }),
  });
  const intake = new AlertIntake({
    related,
    service,
    alerts: alertStore,
    rules: config.severityRules,
    flapWindowMs: config.alerts.flapWindowMs,
    contextLabels: config.alerts.contextLabels,
    log: log.child({ component: 'alerts' }),
  });
  service.observe(intake);
  return {
    name: 'alerts',
    alertStore,
    intake,
    routes: alertRoutes({
      intake,
      webhookToken: config.env.ALERT_WEBHOOK_TOKEN,
      pagerDutySecret: config.env.PAGERDUTY_WEBHOOK_SECRET,
      maxBodyBytes: config.alerts.maxBodyBytes,
      maxConcurrent: config.alerts.maxConcurrentIntake,
      maxQueued: config.alerts.maxQueuedIntake,
      log: log.child({ component: 'alert-routes' }),
      metrics,
    }),
    install({ app, deps }) {
      registerAlertActions(app, deps);
      registerRelatedActions(app, related);
      // After the announcement publisher: the offer redraws an announcement that exists.
      service.observe(related);
    },
  };
}
