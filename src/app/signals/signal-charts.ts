import type { SeverityRules } from '../../domain/classifier/rules-schema';
import type { Clock } from '../../domain/clock';
import type { Incident } from '../../domain/incident';
import { recordChartOutcome, type ChartOutcome } from '../../domain/signals/chart-changes';
import { buildSignalChart, chartWindow, type ChartMoment } from '../../domain/signals/signal-chart';
import type { SignalSeries } from '../../domain/signals/signal-reading';
import type { TimelineEventInput } from '../../domain/timeline';
import type { Logger } from '../../logger';
import type { IncidentService } from '../incident-service';
import type { IncidentObserver } from '../ports/incident-observer';
import type { ChartPoster } from '../ports/chart-poster';
import type { ChartRenderer } from '../ports/chart-renderer';
import type { SignalSource } from '../ports/signal-source';

export interface SignalChartsDeps {
  service: IncidentService;
  source: SignalSource;
  renderer: ChartRenderer;
  poster: ChartPoster;
  rules: SeverityRules;
  /** How far before the open the chart starts (`signals.chart.lookback`). */
  lookbackMs: number;
  clock: Clock;
  log: Logger;
  /** How long drawing one chart took (ms), for /metrics and the bench. */
  observeRenderMs?: (ms: number) => void;
}

/**
 * A picture of the incident's signals (docs/signals.md, "Chart"):
 * 1. at open, once the announcement is posted (never before: the chart must not delay it),
 *    `lookback` before the open to now, into the incident's channel or the announcement's thread;
 * 2. at resolve, the same window stretched to the resolve, as a new upload;
 * 3. faults: a source that does not answer means no chart and one log line; an upload Slack
 *    refuses means one log line and a timeline note, and no retry.
 */
export class SignalCharts implements IncidentObserver {
  readonly name = 'signal-charts';
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly deps: SignalChartsDeps) {}

  /** The announcement is in Slack: draw the chart at open (in the background). */
  announced(incidentId: string): void {
    this.track(
      (async () => {
        const incident = await this.deps.service.store.get(incidentId);
        if (incident && this.wanted(incident)) await this.chart(incident, 'at_open');
      })(),
    );
  }

  /** Resolved: the refreshed chart, off the resolving person's path. */
  async changed(incident: Incident, _events: TimelineEventInput[], previous: Incident): Promise<void> {
    if (incident.status !== 'resolved' || previous.status === 'resolved' || !this.wanted(incident)) return;
    this.track(this.chart(incident, 'at_resolve'));
  }

  /** Waits for charts being drawn or posted (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  private wanted(incident: Incident): boolean {
    // A drill plays its scenario's story; production's signals would only confuse it.
    return Boolean(incident.service) && !incident.drill && this.deps.source.signalNames(incident.service!).length > 0;
  }

  private track(work: Promise<void>): void {
    const guarded = work.catch((error: unknown) => this.deps.log.error({ err: error }, 'signal chart failed'));
    this.inFlight.add(guarded);
    void guarded.finally(() => this.inFlight.delete(guarded));
  }

  private async chart(incident: Incident, moment: ChartMoment): Promise<void> {
    const { source, log } = this.deps;
    const service = incident.service!;
    const now = this.deps.clock();
    const window = chartWindow(incident.createdAt, now, this.deps.lookbackMs);
    const names = source.signalNames(service);
    const series: Record<string, SignalSeries> = Object.fromEntries(
      await Promise.all(names.map(async (name) => [name, await source.readRange({ signal: name }, service, window)] as const)),
    );
    const faults = Object.entries(series).filter(([, s]) => s.kind === 'unavailable');
    if (faults.length === names.length) {
      const reason = faults[0]![1].kind === 'unavailable' ? faults[0]![1].reason : '';
      log.warn({ incidentId: incident.id, moment, reason }, `no signal chart ${moment.replace('_', ' ')}: signals unavailable: ${reason}`);
      return;
    }
    const spec = buildSignalChart({
      incidentId: incident.id,
      service,
      moment,
      openedAt: incident.createdAt,
      resolvedAt: moment === 'at_resolve' ? (incident.resolvedAt ?? now) : null,
      lookbackMs: this.deps.lookbackMs,
      window,
      series,
      rules: this.deps.rules,
    });
    const started = performance.now();
    const png = await this.deps.renderer.renderPng(spec);
    this.deps.observeRenderMs?.(performance.now() - started);
    const current = (await this.deps.service.store.get(incident.id)) ?? incident;
    const posted = await this.deps.poster.post(current, {
      png,
      filename: spec.filename,
      title: spec.title,
      altText: spec.altText,
      caption: spec.caption,
    });
    const outcome: ChartOutcome = posted.ok
      ? { moment, posted: true, where: posted.where, fileId: posted.fileId, signals: spec.drawn }
      : { moment, posted: false, reason: posted.reason };
    if (!posted.ok) log.warn({ incidentId: incident.id, moment, code: posted.code }, `signal chart not posted: ${posted.reason}`);
    const noted = await this.deps.service.apply(incident.id, (i, at) => recordChartOutcome(i, outcome, at));
    if (!noted.ok) log.info({ incidentId: incident.id, code: noted.code }, 'signal chart outcome not noted on the timeline');
  }
}
