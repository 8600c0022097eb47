import pino, { type Logger } from 'pino';
import { currentRequestId } from './request-context';
import { redactText } from './domain/redaction/redact-text';

export type { Logger };

/** Paths whose values never reach the logs, wherever they appear in a log object. */
export const REDACT_PATHS = [
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'appToken',
  '*.appToken',
  'signingSecret',
  '*.signingSecret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  '*.headers.authorization',
  'headers["x-slack-signature"]',
  'secret',
  '*.secret',
  '*.routingKey',
  'routingKey',
  'password',
  '*.password',
  'env.SLACK_BOT_TOKEN',
  'env.SLACK_SIGNING_SECRET',
  'env.SLACK_APP_TOKEN',
  'env.GITHUB_TOKEN',
  'env.PAGERDUTY_TOKEN',
  'env.PAGERDUTY_ROUTING_KEY',
  'env.ALERT_WEBHOOK_TOKEN',
  'env.API_TOKEN',
  'env.PAGERDUTY_WEBHOOK_SECRET',
];

/**
 * The one root logger; components take `log.child({ component })`. Lines carry ISO-8601 times,
 * the request id of the request they belong to (request-context.ts), and each key once. Besides
 * the paths above, every line is redacted by value (`secrets`, the configured ones) and by shape
 * (tokens, Bearer values, URL passwords) as it is written, whatever field or message carries it.
 */
export function createLogger(level: string, destination?: pino.DestinationStream, secrets: readonly string[] = []): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { app: 'incident-bot' },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: () => {
        const reqId = currentRequestId();
        return reqId ? { reqId } : {};
      },
      // pino appends a child's bindings to its parent's, so a component logger handed to another
      // component that names itself wrote "component" twice, and a call naming a key its logger
      // binds did the same; most JSON readers then keep one at random. The innermost value wins.
      hooks: { streamWrite: (line) => redactText(dedupeKeys(line), secrets) },
    },
    destination,
  );
}

function dedupeKeys(line: string): string {
  try {
    return `${JSON.stringify(JSON.parse(line))}\n`;
  } catch {
    return line;
  }
}
