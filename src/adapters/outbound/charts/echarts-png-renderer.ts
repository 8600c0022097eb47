import type { ChartRenderer } from '../../../app/ports/chart-renderer';
import type { SignalChartSpec } from '../../../domain/signals/signal-chart';
import { echartsOption } from './echarts-option';

type ECharts = typeof import('echarts');
type Resvg = typeof import('@resvg/resvg-js');

/**
 * Charts drawn in-process, no browser: ECharts' server-side SVG renderer, then resvg (Rust,
 * prebuilt per platform in the npm package) turns the SVG into a PNG on libuv's thread pool.
 * Both are loaded by warm() once the bot has started (or the first chart), and only when charts
 * are on: a bot that never draws one does not load them. Text uses the system's fonts (DejaVu Sans or Liberation Sans: fonts-dejavu-core).
 */
export class EChartsPngRenderer implements ChartRenderer {
  private libraries: Promise<[ECharts, Resvg]> | null = null;

  /** Loads the libraries now (at start), so the first incident's chart does not pause the bot to parse them. */
  warm(): Promise<unknown> {
    this.libraries ??= Promise.all([import('echarts'), import('@resvg/resvg-js')]);
    return this.libraries;
  }

  async renderPng(spec: SignalChartSpec): Promise<Uint8Array> {
    await this.warm();
    const [echarts, resvg] = await this.libraries!;
    const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: spec.width, height: spec.height });
    let svg: string;
    try {
      chart.setOption(echartsOption(spec) as never);
      svg = chart.renderToSVGString();
    } finally {
      chart.dispose();
    }
    const image = await resvg.renderAsync(svg, {
      fitTo: { mode: 'original' },
      font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    });
    return image.asPng();
  }
}
