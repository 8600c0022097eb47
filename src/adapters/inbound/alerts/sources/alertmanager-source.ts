import { bearerTokenAuth, type AlertSourceDefinition } from '../alert-source';
import { parseAlertmanager } from '../parse-alertmanager';

/** Prometheus Alertmanager, webhook payload version 4. */
export const alertmanagerSource: AlertSourceDefinition<'alertmanager'> = {
  name: 'alertmanager',
  route: '/alerts/alertmanager',
  authenticate: { request: bearerTokenAuth },
  // Version "4" and a string groupKey; Grafana's webhook (version "1", with orgId) is not Alertmanager.
  detect: (o) => o.version === '4' && typeof o.groupKey === 'string' && Array.isArray(o.alerts) && !('orgId' in o),
  parse: parseAlertmanager,
  describe: 'an Alertmanager webhook (version "4", groupKey, alerts)',
};
