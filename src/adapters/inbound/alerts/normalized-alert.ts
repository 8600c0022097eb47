import type { AlertBatch as DomainAlertBatch, NormalizedAlert as DomainNormalizedAlert } from '../../../domain/alert';

export type { Signals } from '../../../domain/classifier/signals';

import type { AlertSource } from './alert-sources';

export type { AlertSource } from './alert-sources';

/** One alert as the registered sources produce it (the domain type, narrowed to their names). */
export type NormalizedAlert = DomainNormalizedAlert<AlertSource>;

/** Everything one webhook request carried. */
export type AlertBatch = DomainAlertBatch<AlertSource>;

/** Refusal codes the alert routes map to HTTP answers (invalid → 400, ignored → 202). */
export const ALERT_REFUSAL = {
  invalid: 'alert.invalid_payload',
  ignored: 'pagerduty.ignored_event',
  unknownFormat: 'alert.unknown_format',
} as const;
