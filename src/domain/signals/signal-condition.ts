import { describeSignalRef, type SignalRef } from './signal-reading';

/** Verification by signal: `below: 1` or `above: 99` for the whole `for` window. */
export interface SignalCondition {
  ref: SignalRef;
  op: 'below' | 'above';
  threshold: number;
  forMs: number;
}

/** One sample against the condition: `below` means strictly below, `above` strictly above. */
export function meetsCondition(value: number, condition: Pick<SignalCondition, 'op' | 'threshold'>): boolean {
  return condition.op === 'below' ? value < condition.threshold : value > condition.threshold;
}

export function describeCondition(condition: Pick<SignalCondition, 'ref' | 'op' | 'threshold'>): string {
  return `${describeSignalRef(condition.ref)} ${condition.op} ${formatSignalNumber(condition.threshold)}`;
}

/** At most three decimals, as the classifier prints them. */
export function formatSignalNumber(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}
