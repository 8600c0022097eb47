// Benchmark — drawing the signal chart in-process (docs/signals.md, "Chart"): the first chart
// (loading ECharts and resvg, cold code), then CHARTS more of two panels × 151 points at resolve,
// each timed whole (EChartsPngRenderer.renderPng) and split: the ECharts SVG step runs on the
// event loop (it blocks it), the resvg PNG step on libuv's thread pool (it does not).
// Run: npx tsx bench/chart.ts   (CHARTS=30). No baseline: this is a cost added off the ack path.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { EChartsPngRenderer } from '../src/adapters/outbound/charts/echarts-png-renderer';
import { echartsOption } from '../src/adapters/outbound/charts/echarts-option';
import { DEFAULT_SEVERITY_RULES } from '../src/domain/classifier/default-rules';
import { buildSignalChart, chartWindow } from '../src/domain/signals/signal-chart';
import { spread } from './support/stats';

const CHARTS = Number(process.env.CHARTS ?? 30);
const opened = Date.UTC(2026, 11, 1, 14, 2);
const now = opened + 40 * 60_000;
const window = chartWindow(opened, now, 30 * 60_000);
const series = (f: (k: number) => number | null) => ({
  kind: 'series' as const,
  points: Array.from({ length: 151 }, (_, k) => ({ at: window.startMs + k * window.stepMs, value: f(k) })).filter(
    (p): p is { at: number; value: number } => p.value !== null,
  ),
});
const spec = buildSignalChart({
  incidentId: 'INC-20261201-007',
  service: 'checkout',
  moment: 'at_resolve',
  openedAt: opened,
  resolvedAt: now,
  lookbackMs: 30 * 60_000,
  window,
  rules: DEFAULT_SEVERITY_RULES,
  series: {
    error_rate: series((k) => (k > 60 && k < 70 ? null : k > 70 && k < 120 ? 22 + Math.sin(k) * 3 : 1.2)),
    p95_ms: series((k) => 180 + (k > 70 && k < 120 ? 700 : 0) + (k % 7) * 10),
  },
});

const renderer = new EChartsPngRenderer();
let started = performance.now();
const first = await renderer.renderPng(spec);
const firstMs = performance.now() - started;

const echarts = await import('echarts');
const whole: number[] = [];
const svgStep: number[] = [];
const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();
for (let i = 0; i < CHARTS; i++) {
  started = performance.now();
  await renderer.renderPng(spec);
  whole.push(performance.now() - started);
  started = performance.now();
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: spec.width, height: spec.height });
  chart.setOption(echartsOption(spec) as never);
  chart.renderToSVGString();
  chart.dispose();
  svgStep.push(performance.now() - started);
}
loop.disable();

console.log(
  `signal chart, ${spec.width}×${spec.height} px, ${spec.panels.length} panels × ${spec.panels[0]!.lines[0]!.points.length} points, PNG ${first.length} bytes`,
);
console.log(`first chart (loads ECharts + resvg): ${firstMs.toFixed(0)} ms`);
console.log(`per chart, median (min–max) of ${CHARTS}: ${spread(whole)} ms`);
console.log(`  of which the ECharts SVG step (on the event loop): ${spread(svgStep)} ms`);
console.log(`event loop delay while charting: p50 ${(loop.percentile(50) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(1)} ms`);
