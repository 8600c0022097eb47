/**
 * The named measurements an alert may carry, shared by every alert source and the classifier.
 *
 * Units (one rule everywhere, so thresholds in config read the same as the severity definitions):
 * - `error_rate`, `failure_rate`: PERCENT, 0..100 (18 means 18%, not 0.18).
 * - `p95_ms`, `p95_target_ms`: milliseconds.
 * - the rest are booleans: true means "detected".
 */
export const NUMERIC_SIGNALS = ['error_rate', 'p95_ms', 'p95_target_ms', 'failure_rate'] as const;
export const BOOLEAN_SIGNALS = ['data_loss', 'security_breach', 'corruption', 'unresponsive'] as const;
export const SIGNAL_NAMES = [...NUMERIC_SIGNALS, ...BOOLEAN_SIGNALS] as const;

export type NumericSignal = (typeof NUMERIC_SIGNALS)[number];
export type BooleanSignal = (typeof BOOLEAN_SIGNALS)[number];
export type SignalName = (typeof SIGNAL_NAMES)[number];

/** Signals that are percentages; validated to 0..100 and shown with a `%`. */
export const PERCENT_SIGNALS: readonly NumericSignal[] = ['error_rate', 'failure_rate'];

/**
 * Built-in signals keep their types; any other name (a custom signal under `signals.queries`,
 * e.g. `queue_depth`) is a number, as the rules and the live reads treat it.
 */
export type Signals = Partial<Record<NumericSignal, number> & Record<BooleanSignal, boolean>> & {
  [custom: string]: number | boolean | undefined;
};

/** What a custom signal's name looks like (the same rule as `signals.queries` keys). */
export const SIGNAL_NAME_PATTERN = /^[a-z][a-z0-9_]*$/;

export function isSignalName(value: string): value is SignalName {
  return (SIGNAL_NAMES as readonly string[]).includes(value);
}

export function isBooleanSignal(name: string): name is BooleanSignal {
  return (BOOLEAN_SIGNALS as readonly string[]).includes(name);
}
