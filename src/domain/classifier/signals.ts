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

export type Signals = Partial<Record<NumericSignal, number> & Record<BooleanSignal, boolean>>;

export function isSignalName(value: string): value is SignalName {
  return (SIGNAL_NAMES as readonly string[]).includes(value);
}

export function isBooleanSignal(name: SignalName): name is BooleanSignal {
  return (BOOLEAN_SIGNALS as readonly string[]).includes(name);
}
