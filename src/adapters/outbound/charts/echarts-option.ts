import type { ChartPanel, SignalChartSpec } from '../../../domain/signals/signal-chart';
import type { Severity } from '../../../domain/severity';

type Json = Record<string, unknown>;

const SEVERITY_COLORS: Record<Severity, string> = { P0: '#b71c1c', P1: '#e65100', P2: '#c79100', P3: '#1565c0' };
const PANEL_TOP = 110;
const PANEL_STEP = 240;
const PANEL_HEIGHT = 165;
const FONT = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';

/**
 * The ECharts option for a chart spec: one grid per panel stacked top to bottom, sharing the
 * time range; null values stay gaps (`connectNulls: false`); thresholds are dashed mark lines
 * in their severity's colour; the open (and resolve) time a vertical line. No animation: the
 * picture is drawn once, server-side.
 */
export function echartsOption(spec: SignalChartSpec): Json {
  const grids = spec.panels.map((_, i) => ({ left: 90, right: 190, top: PANEL_TOP + i * PANEL_STEP, height: PANEL_HEIGHT }));
  const last = spec.panels.length - 1;
  return {
    animation: false,
    useUTC: true,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: FONT },
    title: {
      text: spec.title,
      subtext: spec.subtitle,
      left: 20,
      top: 12,
      textStyle: { fontSize: 18, fontFamily: FONT },
      subtextStyle: { fontSize: 12, color: '#555', fontFamily: FONT },
    },
    legend: spec.panels.map((panel, i) => ({
      top: PANEL_TOP + i * PANEL_STEP - 30,
      left: 90,
      itemWidth: 18,
      data: panel.lines.map((l) => l.label),
      textStyle: { fontFamily: FONT },
    })),
    grid: grids,
    xAxis: spec.panels.map((_, i) => ({
      type: 'time',
      gridIndex: i,
      min: spec.window.startMs,
      max: spec.window.endMs,
      name: i === last ? 'time (UTC)' : '',
      nameLocation: 'middle',
      nameGap: 28,
      axisLabel: { formatter: '{HH}:{mm}', hideOverlap: true },
      splitLine: { show: false },
    })),
    yAxis: spec.panels.map((panel, i) => ({
      type: 'value',
      gridIndex: i,
      name: panel.axisName,
      nameLocation: 'middle',
      nameGap: 60,
      min: 0,
      max: niceCeil(Math.max(maxOf(panel), ...panel.thresholds.map((t) => t.value)) * 1.1),
    })),
    series: spec.panels.flatMap((panel, i) => seriesOf(panel, i, spec)),
    graphic: spec.panels.flatMap((panel, i) =>
      panel.lines.every((l) => l.noData)
        ? [
            {
              type: 'text',
              left: 'center',
              top: PANEL_TOP + i * PANEL_STEP + PANEL_HEIGHT / 2 - 12,
              style: { text: noDataText(panel), fontSize: 20, fill: '#888', fontFamily: FONT },
            },
          ]
        : [],
    ),
  };
}

function noDataText(panel: ChartPanel): string {
  const unavailable = panel.lines.find((l) => l.unavailable)?.unavailable;
  return unavailable ? `unavailable: ${unavailable.slice(0, 80)}` : 'no data';
}

function seriesOf(panel: ChartPanel, index: number, spec: SignalChartSpec): Json[] {
  return panel.lines.map((line, j) => ({
    type: 'line',
    name: line.label,
    xAxisIndex: index,
    yAxisIndex: index,
    data: line.points,
    // Few values (a fresh series, short bursts between gaps) would be invisible as a line alone: dots too.
    showSymbol: line.points.filter(([, v]) => v !== null).length < 30,
    symbolSize: 5,
    connectNulls: false,
    lineStyle: { width: 2 },
    // The first line of a panel carries its thresholds and the markers.
    ...(j === 0
      ? {
          markLine: {
            symbol: 'none',
            silent: true,
            data: [
              ...panel.thresholds.map((t) => ({
                yAxis: t.value,
                lineStyle: { type: 'dashed', color: SEVERITY_COLORS[t.severity], width: 1.5 },
                label: { formatter: t.label, position: 'end', color: SEVERITY_COLORS[t.severity], fontSize: 11, fontFamily: FONT },
              })),
              ...markerLabels(spec).map((m) => ({
                xAxis: m.at,
                lineStyle: { type: 'solid', color: '#444', width: 1 },
                label: { show: m.label !== '', formatter: m.label, position: 'end', color: '#444', fontSize: 11, fontFamily: FONT },
              })),
            ],
          },
        }
      : {}),
  }));
}

/** Markers closer than a tenth of the window share one label (the first's), so the texts never overprint. */
function markerLabels(spec: SignalChartSpec): { at: number; label: string }[] {
  const near = (spec.window.endMs - spec.window.startMs) / 10;
  const out: { at: number; label: string }[] = [];
  for (const m of spec.markers) {
    const holder = out.find((o) => o.label && Math.abs(o.at - m.at) < near);
    if (holder) holder.label = `${holder.label}, ${m.label}`;
    out.push({ at: m.at, label: holder ? '' : m.label });
  }
  return out;
}

function maxOf(panel: ChartPanel): number {
  let max = 0;
  for (const line of panel.lines) for (const [, v] of line.points) if (v !== null && v > max) max = v;
  return max;
}

/** The next 1, 2, 2.5 or 5 × 10^k at or above x, so the axis ends on a round number. */
export function niceCeil(x: number): number {
  if (!(x > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(x));
  const step = [1, 2, 2.5, 5, 10].find((m) => m * power >= x)!;
  return step * power;
}
