import type { TimerEngine, ScheduledTimer } from '../ports/timer-engine';
import type { Clock } from '../../domain/clock';
import type { DrillMark } from '../../domain/drills/drill-mark';
import { drillServiceName } from '../../domain/drills/drill-plan';
import { drillScorecard, type DrillScorecard } from '../../domain/drills/drill-scorecard';
import { formatDuration } from '../../domain/duration';
import type { Incident } from '../../domain/incident';
import { isOpenStatus } from '../../domain/lifecycle';
import { refuse, type Result } from '../../domain/result';
import type { SlaPolicy } from '../../domain/sla-policy';
import type { TimelineEventInput } from '../../domain/timeline';
import type { Logger } from '../../logger';
import type { AlertIntake } from '../alert-intake';
import type { IncidentObserver } from '../ports/incident-observer';
import type { IncidentService } from '../incident-service';
import type { ActiveDrill, DrillRun } from '../ports/active-drill';
import type { DrillReporter } from '../ports/drill-reporter';
import type { DrillScenarios } from '../ports/drill-scenarios';
import { drillAlert } from './drill-alert';

export const DRILL_TIMERS = { step: 'drill.step' } as const;

export interface DrillSettings {
  enabled: boolean;
  /** Speed when the scenario names none (the sandbox plays drills faster). */
  speed: number;
  /** Where scenario files live, for the refusal that says how to add one. */
  scenariosDir: string;
}

interface StepPayload {
  runId: string;
  index: number;
}

// The slot outlives the longest drill a little, so a forgotten drill frees it by itself.
const SLOT_SLACK_MS = 2 * 3_600_000;

/**
 * Plays drills: `/incident drill <scenario>` takes the single drill slot, then each step's
 * alert goes through the real alert intake at its time (a timer per step, so a restart or
 * another replica carries on). When the drill incident resolves, the scorecard is computed,
 * posted and kept on its timeline, and the slot frees.
 */
export class DrillPlayer implements IncidentObserver {
  readonly name = 'drills';
  private reporter: DrillReporter | null = null;

  constructor(
    private readonly deps: {
      settings: DrillSettings;
      scenarios: DrillScenarios;
      active: ActiveDrill;
      timers: TimerEngine;
      intake: AlertIntake;
      service: IncidentService;
      policy: SlaPolicy;
      clock: Clock;
      log: Logger;
    },
  ) {}

  /** Set once Slack exists. */
  attach(reporter: DrillReporter): void {
    this.reporter = reporter;
  }

  async start(name: string, by: string): Promise<Result<{ run: DrillRun }>> {
    const { settings, scenarios, active, timers, clock } = this.deps;
    if (!settings.enabled)
      return refuse(
        'drill.disabled',
        "Drills are off in this workspace. To rehearse here, set `drills.enabled: true` in the bot's config file and restart it (the sandbox, `npm run sandbox`, has them on).",
      );
    const loaded = await scenarios.load(name);
    if (!loaded.ok) return loaded;
    const { scenario } = loaded;
    const speed = scenario.speed ?? settings.speed;
    const now = clock();
    const run: DrillRun = {
      runId: `${scenario.name}-${now.toString(36)}`,
      scenario,
      speed,
      startedBy: by,
      startedAt: now,
      incidentId: null,
    };
    const last = Math.max(...scenario.steps.map((s) => s.afterMs));
    const holder = await active.claim(run, Math.round(last / speed) + SLOT_SLACK_MS);
    if (holder) {
      const ago = formatDuration(now - holder.startedAt);
      return refuse(
        'drill.running',
        `A drill is already running: \`${holder.scenario.name}\`${holder.incidentId ? ` (${holder.incidentId})` : ''}, started ${ago} ago. Resolve its incident or end it with \`/incident drill stop\`, then start the next.`,
      );
    }
    for (const [index, step] of scenario.steps.entries()) {
      await timers.schedule({
        key: `drill:${run.runId}:step:${index}`,
        kind: DRILL_TIMERS.step,
        dueAt: now + Math.round(step.afterMs / speed),
        payload: { runId: run.runId, index } satisfies StepPayload,
      });
    }
    this.deps.log.info({ runId: run.runId, scenario: scenario.name, speed, by }, 'drill started');
    return { ok: true, run };
  }

  /** Ends the running drill: no further steps play; its incident stays as it is, for people to resolve. */
  async stop(by: string): Promise<Result<{ run: DrillRun }>> {
    const run = await this.deps.active.current();
    if (!run) return refuse('drill.none', 'No drill is running. `/incident drill` lists the scenarios.');
    await this.deps.timers.cancelByPrefix(`drill:${run.runId}:`);
    await this.deps.active.release(run.runId);
    this.deps.log.info({ runId: run.runId, by }, 'drill stopped');
    return { ok: true, run };
  }

  async names(): Promise<string[]> {
    return this.deps.scenarios.names();
  }

  /** Timer handler: plays one step. A step of a run that no longer holds the slot (stopped) plays nothing. */
  readonly playStep = async (timer: ScheduledTimer): Promise<void> => {
    const { runId, index } = timer.payload as StepPayload;
    const run = await this.deps.active.current();
    if (!run || run.runId !== runId) return;
    const step = run.scenario.steps[index];
    if (!step) return;
    const mark: DrillMark = { scenario: run.scenario.name, runId, speed: run.speed, page: run.scenario.page };
    const alert = { ...drillAlert(run, step, this.deps.clock()), service: drillServiceName(run.scenario.name) };
    const result = await this.deps.intake.receive({ source: 'generic', alerts: [alert], truncatedAlerts: 0, drill: mark });
    const incidentId = result.incidents[0];
    if (incidentId && !run.incidentId) await this.deps.active.attach(runId, incidentId);
  };

  /** When a drill incident resolves: the scorecard, once, kept on its timeline and posted. */
  async changed(incident: Incident, _events: TimelineEventInput[], previous: Incident): Promise<void> {
    if (!incident.drill || !(isOpenStatus(previous.status) && incident.status === 'resolved')) return;
    const timeline = await this.deps.service.store.timeline(incident.id);
    if (timeline.some((e) => e.kind === 'drill_scorecard')) return;
    const scorecard = drillScorecard(incident, timeline, this.deps.policy, incident.drill.speed);
    await this.deps.service.store.appendTimeline(incident.id, [
      { at: this.deps.clock(), actor: 'bot', kind: 'drill_scorecard', text: scorecardLine(scorecard), details: { scorecard } },
    ]);
    await this.deps.timers.cancelByPrefix(`drill:${incident.drill.runId}:`);
    await this.deps.active.release(incident.drill.runId);
    await this.reporter
      ?.postScorecard(incident, scorecard)
      .catch((error: unknown) => this.deps.log.warn({ err: error, incidentId: incident.id }, 'drill scorecard could not be posted'));
  }
}

/** The scorecard in one line, for the timeline and the report. */
export function scorecardLine(card: DrillScorecard): string {
  const parts = card.steps.map(
    (s) =>
      `${s.label.replace(/^Time to /, '')} ${s.tookMs === null ? 'never' : formatDuration(s.tookMs)}${s.met === null ? '' : s.met ? ' (met)' : ' (missed)'}`,
  );
  return `Drill scorecard (${card.scenario}): ${parts.join(', ')}; SLA clocks met ${card.met}, missed ${card.missed}.`;
}
