import type { DrillScenario } from '../../domain/drills/drill-scenario';

/** The drill being played. One at a time per workspace, so two rehearsals never mix. */
export interface DrillRun {
  runId: string;
  scenario: DrillScenario;
  speed: number;
  startedBy: string;
  startedAt: number;
  /** The drill incident, once its first alert opened it. */
  incidentId: string | null;
}

export interface ActiveDrill {
  /** Takes the single drill slot; returns the run already holding it instead when there is one. */
  claim(run: DrillRun, ttlMs: number): Promise<DrillRun | null>;
  current(): Promise<DrillRun | null>;
  /** Records the drill incident on the run (only while that run holds the slot). */
  attach(runId: string, incidentId: string): Promise<void>;
  /** Frees the slot if this run still holds it. */
  release(runId: string): Promise<boolean>;
}
