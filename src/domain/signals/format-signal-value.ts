import { PERCENT_SIGNALS } from '../classifier/signals';
import { formatSignalNumber } from './signal-condition';
import type { SignalSnapshot } from './signal-reading';

/** `18.2%`, `340 ms`, `no data`: the unit follows the signal's name, as in the rules. */
export function formatSignalValue(signal: string, value: number | null | undefined): string {
  if (value === null || value === undefined) return 'no data';
  if ((PERCENT_SIGNALS as readonly string[]).includes(signal)) return `${formatSignalNumber(value)}%`;
  return signal.endsWith('_ms') ? `${formatSignalNumber(value)} ms` : formatSignalNumber(value);
}

/** `error_rate 18.2%, p95_ms no data` */
export function describeSnapshot(snapshot: SignalSnapshot): string {
  const values = Object.entries(snapshot.values).map(([name, value]) => `${name} ${formatSignalValue(name, value)}`);
  return [...values, ...(snapshot.unavailable ? [`signals unavailable: ${snapshot.unavailable}`] : [])].join(', ') || 'no signals';
}

/**
 * Now against open, per signal: `error_rate 18.2% → 4.1% (falling)`. Signals missing on
 * either side say so instead of inventing a direction.
 */
export function describeTrend(atOpen: SignalSnapshot | null, latest: SignalSnapshot | null): string[] {
  if (!latest) return [];
  const names = [...new Set([...Object.keys(atOpen?.values ?? {}), ...Object.keys(latest.values)])];
  return names.map((name) => {
    const before = atOpen?.values[name];
    const now = latest.values[name];
    if (!atOpen || before === undefined) return `${name} ${formatSignalValue(name, now)} (not measured at open)`;
    const direction =
      typeof before === 'number' && typeof now === 'number' ? (now > before ? 'rising' : now < before ? 'falling' : 'steady') : 'unknown';
    return `${name} ${formatSignalValue(name, before)} → ${formatSignalValue(name, now)} (${direction})`;
  });
}
