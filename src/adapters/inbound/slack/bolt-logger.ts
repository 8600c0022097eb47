import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../../logger';

/** Bolt logs through our pino root, so its lines are structured and redacted like ours. */
export function boltLogger(log: Logger): BoltLogger {
  let level: LogLevel = LogLevel.INFO;
  // Bolt logs at debug several times per request; format only what will be written.
  const write =
    (method: 'debug' | 'info' | 'warn' | 'error') =>
    (...msg: unknown[]) => {
      if (!log.isLevelEnabled(method)) return;
      log[method](msg.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' '));
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
