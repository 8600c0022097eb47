/**
 * What a signal source says about one named signal at one moment. "No data" (an empty
 * result or NaN) is its own answer: unknown is never read as 0, nor as healthy.
 */
export type SignalReading = { kind: 'value'; value: number } | { kind: 'no_data' } | { kind: 'unavailable'; reason: string };

/** The service's named signals, read together: when they were measured and by what. */
export interface SignalSnapshot {
  /** The source's name as people know it, e.g. "Prometheus". */
  source: string;
  /** Evaluation time the source reported (epoch ms). */
  at: number;
  /** Per signal: the number, null for "no data". Signals that could not be read are left out. */
  values: Record<string, number | null>;
  /** Why (some) signals could not be read; null when every one answered. */
  unavailable: string | null;
}

/** One series over a window, oldest first. */
export type SignalSeries = { kind: 'series'; points: { at: number; value: number }[] } | { kind: 'unavailable'; reason: string };

/** A signal named in config (`signal: error_rate`) or a PromQL expression of its own (`query: …`). */
export type SignalRef = { signal: string } | { query: string };

export function describeSignalRef(ref: SignalRef): string {
  return 'signal' in ref ? ref.signal : ref.query;
}

/** Builds a snapshot from per-signal readings; the first fault names why the rest is missing. */
export function snapshotOf(source: string, at: number, readings: Record<string, SignalReading>): SignalSnapshot {
  const values: Record<string, number | null> = {};
  const faults: string[] = [];
  for (const [name, reading] of Object.entries(readings)) {
    if (reading.kind === 'value') values[name] = reading.value;
    else if (reading.kind === 'no_data') values[name] = null;
    else faults.push(Object.keys(readings).length > 1 ? `${name}: ${reading.reason}` : reading.reason);
  }
  const unique = [...new Set(faults.map((f) => f.replace(/^[^:]+: /, '')))];
  const unavailable =
    faults.length === 0 ? null : unique.length === 1 && faults.length === Object.keys(readings).length ? unique[0]! : faults.join('; ');
  return { source, at, values, unavailable };
}
