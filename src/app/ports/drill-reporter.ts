import type { DrillScorecard } from '../../domain/drills/drill-scorecard';
import type { Incident } from '../../domain/incident';

/** Where a drill's scorecard is shown to the people who played it (Slack). */
export interface DrillReporter {
  postScorecard(incident: Incident, scorecard: DrillScorecard): Promise<void>;
}
