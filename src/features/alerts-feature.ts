import { alertRoutes } from '../adapters/inbound/http/alert-routes';
import { RedisAlertStore } from '../adapters/outbound/redis/redis-alert-store';
import { registerAlertActions } from '../adapters/inbound/slack/handlers/alert-actions';
import { AlertIntake } from '../app/alert-intake';
import type { CoreContext, Feature } from './feature';

/**
 * Alerts in: webhooks → intake → incidents. The intake also observes incidents,
 * so a group whose incident resolves opens a new one on its next firing alert.
 */
export function alertsFeature(core: CoreContext): Feature & { alertStore: RedisAlertStore; intake: AlertIntake } {
  const { config, redis, log, metrics, service } = core;
  const alertStore = new RedisAlertStore(redis, config.env.REDIS_PREFIX);
  const intake = new AlertIntake({
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
    },
  };
}
