import { isRecord, type AlertSourceDefinition } from './alert-source';
import { alertmanagerSource } from './sources/alertmanager-source';
import { genericSource } from './sources/generic-source';
import { pagerDutySource } from './sources/pagerduty-source';

/**
 * Every alert source, once. The HTTP routes, the CLI's `--format` and detection, and the
 * metrics labels all read this list; adding a source is one file in `sources/` and one line here.
 */
export const ALERT_SOURCE_LIST = [alertmanagerSource, pagerDutySource, genericSource] as const;

export type AlertSource = (typeof ALERT_SOURCE_LIST)[number]['name'];

export const ALERT_SOURCES: readonly AlertSource[] = ALERT_SOURCE_LIST.map((s) => s.name);

export function alertSource(name: string): AlertSourceDefinition<AlertSource> | null {
  return ALERT_SOURCE_LIST.find((s) => s.name === name) ?? null;
}

/** The one source whose detect() accepts the body; none (or, by a bug, several) is null. */
export function detectAlertSource(body: unknown): AlertSourceDefinition<AlertSource> | null {
  if (!isRecord(body)) return null;
  const matches = ALERT_SOURCE_LIST.filter((s) => s.detect(body));
  return matches.length === 1 ? matches[0]! : null;
}
