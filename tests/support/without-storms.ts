/**
 * Storm correlation is on in the product, but most tests open five or more alert incidents in
 * a couple of minutes to test something else: it is off here unless a test sets
 * `alerts.correlate` (tests/integration/alerts/storm-correlation.test.ts does).
 */
export function withoutStorms(file: Record<string, unknown>): Record<string, unknown> {
  const alerts = (file.alerts ?? {}) as Record<string, unknown>;
  return 'correlate' in alerts ? file : { ...file, alerts: { ...alerts, correlate: false } };
}
