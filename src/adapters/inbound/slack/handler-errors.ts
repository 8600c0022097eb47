import type { Logger } from '../../../logger';
import { isRedisUnreachable } from '../../outbound/redis/is-redis-unreachable';
import { describeSlackError } from '../../outbound/slack/slack-errors';

/** A thrown error as the person hears it and the log records it: one stable code for both. */
export interface HandlerFailure {
  /** `slack.<error>`, `store.unavailable` or `internal`: what to grep the logs for. */
  code: string;
  /** One ephemeral line for the person who acted. */
  userMessage: string;
}

const STORE_DOWN = /ECONNREFUSED|ETIMEDOUT|ENOTFOUND|Connection is closed|MaxRetriesPerRequest|Stream isn't writeable|enableOfflineQueue/i;

/**
 * Maps whatever a Slack listener threw. Expected refusals never get here (they are values,
 * answered by the handler); this is for Slack, Redis and bugs.
 */
export function describeHandlerError(error: unknown, incidentChannel = '#incident-response'): HandlerFailure {
  const e = error as { code?: string; name?: string; message?: string };
  if (typeof e?.code === 'string' && e.code.startsWith('slack_webapi')) {
    const slack = describeSlackError(error);
    return { code: `slack.${slack.code}`, userMessage: `:warning: ${slack.userMessage}. Nothing was changed twice; try again.` };
  }
  if (isRedisUnreachable(error) || STORE_DOWN.test(`${e?.name ?? ''} ${e?.message ?? ''}`)) {
    return {
      code: 'store.unavailable',
      userMessage: `:rotating_light: The incident store (Redis) is unreachable: nothing was recorded. Declare in ${incidentChannel} by hand; the bot takes commands again as soon as Redis is back (an operator sees it in the bot's log and /readyz).`,
    };
  }
  return {
    code: 'internal',
    userMessage: ':warning: Something went wrong on our side; nothing was changed twice. Try again, or check the bot logs.',
  };
}

/**
 * The one error path of the Slack listeners: a thrown error becomes one log line with its
 * code and one ephemeral line to the person (when there is a way to answer them).
 */
export async function answerHandlerError(
  error: unknown,
  log: Logger,
  where: Record<string, unknown>,
  tell: ((text: string) => Promise<unknown>) | null,
): Promise<void> {
  const failure = describeHandlerError(error);
  // A Redis outage is an error once, from its watcher; each refused request is a warning with its code.
  if (failure.code === 'store.unavailable') log.warn({ err: error, code: failure.code, ...where }, 'Slack listener failed');
  else log.error({ err: error, code: failure.code, ...where }, 'Slack listener failed');
  if (!tell) return;
  try {
    await tell(failure.userMessage);
  } catch (replyError) {
    log.warn({ err: replyError, code: failure.code }, 'could not tell the person about the failure');
  }
}
