/**
 * What makes an incident a drill. Drill incidents say DRILL wherever they show, page nobody
 * unless the scenario asks for it, stay out of metrics and response-time figures, and run
 * their clocks `speed` times faster (a one-hour drill at speed 60 takes a minute).
 */
export interface DrillMark {
  scenario: string;
  /** One run of a scenario; alert groups and timers are keyed by it. */
  runId: string;
  speed: number;
  page: boolean;
}

export const DRILL_TITLE_PREFIX = 'DRILL: ';

/** The title a drill incident carries, so announcement, channel name and issue title all say DRILL. */
export function drillTitle(title: string): string {
  return title.startsWith(DRILL_TITLE_PREFIX) ? title : `${DRILL_TITLE_PREFIX}${title}`;
}
