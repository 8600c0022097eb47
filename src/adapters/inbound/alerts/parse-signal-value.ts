import { isBooleanSignal, PERCENT_SIGNALS, type NumericSignal, type SignalName } from '../../../domain/classifier/signals';

/**
 * Reads one signal from the text of an Alertmanager label or annotation. The rules:
 * - rates (`error_rate`, `failure_rate`) are PERCENT: "18", "18%", "18.5 %" all mean 18%.
 *   A bare "0.18" means 0.18%, never 18%; to send a 0..1 ratio (what PromQL naturally
 *   yields) name the annotation `error_rate_ratio` / `failure_rate_ratio` instead;
 *   see `RATIO_ALIASES`. Guessing from magnitude would misread a real 0.5% as 50%.
 * - latencies (`p95_ms`, `p95_target_ms`) are milliseconds: "1200", "1200ms", "1.2s".
 * - booleans: true/false, yes/no, 1/0 (any case).
 * Returns the value, or an error message saying what was expected.
 */
export function parseSignalValue(name: SignalName, text: string, asRatio = false): { value: number | boolean } | { error: string } {
  const raw = text.trim();
  if (isBooleanSignal(name)) {
    const lower = raw.toLowerCase();
    if (['true', 'yes', '1'].includes(lower)) return { value: true };
    if (['false', 'no', '0'].includes(lower)) return { value: false };
    return { error: `expected true or false, got ${JSON.stringify(text)}` };
  }
  if ((PERCENT_SIGNALS as readonly string[]).includes(name)) return parseRate(raw, text, asRatio);
  return parseMilliseconds(name as NumericSignal, raw, text);
}

/** Annotation names that carry a 0..1 ratio for a percent signal. */
export const RATIO_ALIASES: Record<string, NumericSignal> = { error_rate_ratio: 'error_rate', failure_rate_ratio: 'failure_rate' };

const NUMBER = /^[+]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

function parseRate(raw: string, original: string, asRatio: boolean) {
  if (asRatio) {
    if (!NUMBER.test(raw)) return { error: `expected a ratio between 0 and 1, got ${JSON.stringify(original)}` };
    const ratio = Number(raw);
    if (ratio > 1) return { error: `expected a ratio between 0 and 1, got ${JSON.stringify(original)}` };
    // toPrecision trims float noise: 0.55 × 100 is 55.00000000000001 in binary floating point.
    return { value: Number((ratio * 100).toPrecision(12)) };
  }
  const number = raw.replace(/\s*%$/, '');
  if (!NUMBER.test(number)) return { error: `expected a percentage like "18" or "18%", got ${JSON.stringify(original)}` };
  const percent = Number(number);
  if (percent > 100) return { error: `expected a percentage between 0 and 100, got ${JSON.stringify(original)}` };
  return { value: percent };
}

function parseMilliseconds(name: NumericSignal, raw: string, original: string) {
  const match = /^(.+?)\s*(ms|s)?$/.exec(raw);
  const number = match?.[1] ?? '';
  if (!NUMBER.test(number)) return { error: `expected milliseconds like "1200", "1200ms" or "1.2s", got ${JSON.stringify(original)}` };
  const ms = Number(number) * (match?.[2] === 's' ? 1000 : 1);
  if (!Number.isFinite(ms)) return { error: `expected a finite number of milliseconds, got ${JSON.stringify(original)}` };
  if (name === 'p95_target_ms' && ms === 0) return { error: 'a target must be above 0 ms' };
  return { value: ms };
}
