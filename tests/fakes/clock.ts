import type { Clock } from '../../src/domain/clock';
import { createLogger } from '../../src/logger';
import type { Logger } from '../../src/logger';
import { createMetrics } from '../../src/metrics';

/** A clock that moves only when told. */
export function manualClock(start = Date.UTC(2026, 11, 1, 9, 0, 0)): Clock & { advance(ms: number): void; set(ms: number): void } {
  let now = start;
  const clock = () => now;
  return Object.assign(clock, {
    advance: (ms: number) => {
      now += ms;
    },
    set: (ms: number) => {
      now = ms;
    },
  });
}

export const silentLogger = (): Logger => createLogger('silent');
export { createMetrics };
