import { refuse, type Result } from '../../../domain/result';
import { ALERT_REFUSAL, type AlertBatch, type AlertSource } from './normalized-alert';
import { parseAlertmanager } from './parse-alertmanager';
import { parseGeneric } from './parse-generic';
import { parsePagerDuty } from './parse-pagerduty';

const PARSERS: Record<AlertSource, (body: unknown) => Result<{ batch: AlertBatch }>> = {
  alertmanager: parseAlertmanager,
  pagerduty: parsePagerDuty,
  generic: parseGeneric,
};

/**
 * Which format a body looks like, from the keys only each one has. The HTTP routes know
 * their format from the path; this is for the CLI, where a file could be any of them.
 */
export function detectAlertFormat(body: unknown): AlertSource | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const o = body as Record<string, unknown>;
  if ('alerts' in o && ('groupKey' in o || 'version' in o)) return 'alertmanager';
  if (typeof o.event === 'object' && o.event !== null && 'event_type' in o.event) return 'pagerduty';
  if ('dedup_key' in o) return 'generic';
  return null;
}

/** Parses with the hinted format, or the detected one; refuses `alert.unknown_format` when neither applies. */
export function detectAndParse(body: unknown, hint?: AlertSource): Result<{ batch: AlertBatch }> {
  const format = hint ?? detectAlertFormat(body);
  if (format === null) {
    return refuse(
      ALERT_REFUSAL.unknownFormat,
      'cannot tell the payload format: expected an Alertmanager webhook (version, groupKey, alerts), a PagerDuty v3 webhook (event.event_type) or a generic alert (dedup_key)',
    );
  }
  return PARSERS[format](body);
}
