import type { SignalChartSpec } from '../../domain/signals/signal-chart';

/** Draws a chart spec as a PNG, in-process (ECharts + resvg today). Throws only on a bug or a bad font setup. */
export interface ChartRenderer {
  renderPng(spec: SignalChartSpec): Promise<Uint8Array>;
}
