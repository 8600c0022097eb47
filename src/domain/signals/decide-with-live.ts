import { classify } from '../classifier/classify';
import type { SeverityRules } from '../classifier/rules-schema';
import type { Signals } from '../classifier/signals';
import { mergeSignals } from './merge-signals';
import type { LiveDecision } from './signal-changes';
import type { SignalSnapshot } from './signal-reading';

/** The classifier over what the alert carried merged with live values (precedence: merge-signals.ts). */
export function decideWithLive(
  carried: { signals: Signals; labels: Record<string, string> },
  service: string | null,
  snapshot: SignalSnapshot,
  rules: SeverityRules,
): LiveDecision {
  const merged = mergeSignals(carried.signals, snapshot.values);
  return { snapshot, decision: classify(merged.signals, carried.labels, service, rules), fromLive: merged.fromLive };
}
