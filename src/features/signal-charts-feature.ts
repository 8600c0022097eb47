import { EChartsPngRenderer } from '../adapters/outbound/charts/echarts-png-renderer';
import { SlackChartPoster } from '../adapters/outbound/slack/slack-chart-poster';
import { SignalCharts } from '../app/signals/signal-charts';
import type { CoreContext, Feature } from './feature';

/**
 * The picture of an incident's signals (docs/signals.md, "Chart"): a PNG posted once the
 * announcement is in Slack, and again at resolve. On when live signals are configured and
 * `signals.chart.enabled` (the default).
 */
export function signalChartsFeature(core: CoreContext): Feature {
  const { config, clock, log: root, service, signalSource, metrics } = core;
  const log = root.child({ component: 'signal-charts' });
  let charts: SignalCharts | null = null;
  const renderer = new EChartsPngRenderer();
  return {
    name: 'signal-charts',
    install({ publisher }) {
      if (!signalSource || !config.signals?.chart.enabled) return;
      charts = new SignalCharts({
        service,
        source: signalSource,
        renderer,
        poster: new SlackChartPoster(publisher.postingClient, config.channels.incident_response, metrics),
        rules: config.severityRules,
        lookbackMs: config.signals.chart.lookbackMs,
        clock,
        log,
        observeRenderMs: (ms) => metrics.signalChartRenderSeconds.observe(ms / 1000),
      });
      const observer = charts;
      publisher.onAnnounced((incidentId) => observer.announced(incidentId));
      service.observe(observer);
    },
    async start() {
      // ECharts is large: parsed once the bot is up, not in the middle of the first incident.
      if (charts) void renderer.warm().catch((error: unknown) => log.error({ err: error }, 'the chart libraries did not load; no charts'));
    },
    async stop() {
      await charts?.settled();
    },
  };
}
