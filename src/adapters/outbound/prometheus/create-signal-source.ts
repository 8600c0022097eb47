import type { SignalSource } from '../../../app/ports/signal-source';
import type { SignalsConfig } from '../../../config/signals-schema';
import type { Logger } from '../../../logger';
import { PrometheusSignalSource } from './prometheus-signal-source';

/** The configured signal source, or null when live signals are off (no URL). */
export function createSignalSource(config: SignalsConfig | null, log: Logger): SignalSource | null {
  if (!config) return null;
  return new PrometheusSignalSource({
    url: config.prometheus.url,
    ...(config.prometheus.token ? { token: config.prometheus.token } : {}),
    timeoutMs: config.prometheus.timeoutMs,
    cacheMs: config.cacheMs,
    queries: config.queries,
    serviceQueries: config.serviceQueries,
    log: log.child({ component: 'prometheus' }),
  });
}
