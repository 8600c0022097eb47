import { refuse, type Result } from '../../../domain/result';
import { ALERT_SOURCE_LIST, alertSource, detectAlertSource, type AlertSource } from './alert-sources';
import { ALERT_REFUSAL, type AlertBatch } from './normalized-alert';

/**
 * Which source a body comes from, by the keys only that source uses. The HTTP routes know
 * their source from the path; this is for the CLI, where a file could be any of them.
 */
export function detectAlertFormat(body: unknown): AlertSource | null {
  return detectAlertSource(body)?.name ?? null;
}

/** Parses with the hinted source, or the detected one; refuses `alert.unknown_format` when neither applies. */
export function detectAndParse(body: unknown, hint?: AlertSource): Result<{ batch: AlertBatch }> {
  const source = hint ? alertSource(hint) : detectAlertSource(body);
  if (source === null) {
    return refuse(
      ALERT_REFUSAL.unknownFormat,
      `cannot tell the payload format: expected ${ALERT_SOURCE_LIST.map((s) => s.describe).join(', or ')}`,
    );
  }
  return source.parse(body);
}
