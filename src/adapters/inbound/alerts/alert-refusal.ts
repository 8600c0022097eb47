/** Refusal codes the alert routes map to HTTP answers (invalid → 400, ignored → 202). */
export const ALERT_REFUSAL = {
  invalid: 'alert.invalid_payload',
  ignored: 'pagerduty.ignored_event',
  unknownFormat: 'alert.unknown_format',
} as const;
