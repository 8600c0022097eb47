import type { SignalReading, SignalRef, SignalSeries, SignalSnapshot } from '../../domain/signals/signal-reading';

/**
 * Live measurements of a service (Prometheus today). Never throws for a fault of the
 * source: a down, slow, refusing or erroring source answers "unavailable: <reason>",
 * and an empty result or NaN answers "no data".
 */
export interface SignalSource {
  /** How people know it: "Prometheus". */
  readonly name: string;
  /** The named signals configured for the service (its overrides over the shared queries). */
  signalNames(service: string): string[];
  /** Every named signal of the service at once; cached per service for a few seconds. */
  readSignals(service: string): Promise<SignalSnapshot>;
  /** One signal or expression now. */
  read(ref: SignalRef, service: string | null): Promise<SignalReading & { at: number }>;
  /** One signal or expression over [startMs, endMs] every stepMs. */
  readRange(ref: SignalRef, service: string | null, window: { startMs: number; endMs: number; stepMs: number }): Promise<SignalSeries>;
  /** Each configured query tried once; one line per query that does not work, naming it. */
  selfCheck(): Promise<{ problems: string[]; unreachable: string | null }>;
}
