import { BOOLEAN_SIGNALS, isBooleanSignal, type Signals } from '../classifier/signals';

/**
 * Precedence between what an alert carried and what the bot measured (documented in
 * docs/signals.md):
 * 1. a number measured live wins over the alert's number for the same signal: the live
 *    query is the configured definition and it is fresher than the alert's evaluation;
 * 2. the alert's number fills in where the live read gave "no data" or failed;
 * 3. a detection (data_loss, security_breach, corruption, unresponsive) is never undone
 *    by a measurement: true from either side is true. A live value above 0 detects.
 * Returns the merged signals and the names whose value came from the live read.
 */
export function mergeSignals(carried: Signals, live: Record<string, number | null>): { signals: Signals; fromLive: string[] } {
  const signals: Signals = { ...carried };
  const fromLive: string[] = [];
  // Every numeric signal: the built-in ones and custom ones (queue_depth) a rule may name.
  for (const [name, value] of Object.entries(live)) {
    if (isBooleanSignal(name)) continue;
    if (typeof value === 'number') {
      signals[name] = value;
      fromLive.push(name);
    }
  }
  for (const name of BOOLEAN_SIGNALS) {
    const value = live[name];
    if (typeof value !== 'number') continue;
    if (value > 0 && carried[name] !== true) {
      signals[name] = true;
      fromLive.push(name);
    } else if (carried[name] === undefined) {
      signals[name] = false;
      fromLive.push(name);
    }
  }
  return { signals, fromLive };
}
