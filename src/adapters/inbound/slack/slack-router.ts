import type {
  AllMiddlewareArgs,
  App,
  Middleware,
  SlackAction,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackViewAction,
  SlackViewMiddlewareArgs,
  ViewResponseAction,
} from '@slack/bolt';
import type { StoreHealth } from '../../../app/ports/store-health';
import { redactDeep } from '../../../domain/redaction/redact-deep';
import { redactText } from '../../../domain/redaction/redact-text';
import type { Logger } from '../../../logger';
import { answerHandlerError } from './handler-errors';
import { storeDownFormAnswer, STORE_DOWN_AFTER_ACK } from './store-down-answer';

type ActionListener = Middleware<SlackActionMiddlewareArgs<SlackAction>>;
type ViewListener = Middleware<SlackViewMiddlewareArgs<SlackViewAction>>;
type CommandListener = Middleware<SlackCommandMiddlewareArgs>;

/** What handler modules register on: Bolt's own methods, with actions and views routed. */
export interface SlackListeners {
  client: App['client'];
  command: App['command'];
  shortcut: App['shortcut'];
  event: App['event'];
  action<A extends SlackAction = SlackAction>(actionId: string, listener: Middleware<SlackActionMiddlewareArgs<A>>): void;
  view<V extends SlackViewAction = SlackViewAction>(callbackId: string, listener: Middleware<SlackViewMiddlewareArgs<V>>): void;
}

/**
 * Every listener's thrown error ends in answerHandlerError (one log line, one ephemeral line);
 * handlers answer expected refusals themselves and do not catch-and-log.
 *
 * One Bolt listener for all block actions and one for all view submissions, dispatching by
 * action_id / callback_id through a map. Bolt walks every registered listener's middleware
 * on every request; with ~20 listeners that walk cost a bare Bolt app 37% of its
 * acknowledgement throughput (bench/README.md), so the bot registers two instead.
 */
export function routeSlackListeners(
  app: App,
  log: Logger,
  options: { store?: StoreHealth; storeCheckMs?: number; secrets?: readonly string[] } = {},
): SlackListeners {
  const secrets = options.secrets ?? [];
  // Answers that go back to Slack outside the Web API client (ack in the HTTP or socket reply,
  // respond through response_url) are redacted here, as the client's transport redacts the rest.
  const clean = <T>(message: T): T => (typeof message === 'string' ? (redactText(message, secrets) as T) : redactDeep(message, secrets));
  const redacting = <F extends (...args: never[]) => Promise<unknown>>(fn: F): F => {
    const send = fn as unknown as (message?: unknown) => Promise<unknown>;
    return ((message?: unknown) => (message === undefined ? send() : send(clean(message)))) as unknown as F;
  };
  const actions = new Map<string, ActionListener>();
  const views = new Map<string, ViewListener>();
  app.action(/.+/, async (args) => {
    const id = (args.action as { action_id?: string }).action_id ?? '';
    const listener = actions.get(id);
    if (!listener) {
      log.debug({ actionId: id }, 'no listener for this action; acknowledged and ignored');
      return void (await args.ack());
    }
    const respond = 'respond' in args ? redacting(args.respond) : null;
    try {
      await listener({ ...args, ack: redacting(args.ack), ...(respond ? { respond } : {}) } as SlackActionMiddlewareArgs<SlackAction> &
        AllMiddlewareArgs);
    } catch (error) {
      await answerHandlerError(
        error,
        log,
        { actionId: id },
        respond ? (text) => respond({ response_type: 'ephemeral', replace_original: false, text }) : null,
      );
    }
  });
  app.view(/.+/, async (args) => {
    const listener = views.get(args.view.callback_id);
    if (!listener) {
      log.debug({ callbackId: args.view.callback_id }, 'no listener for this view; acknowledged and ignored');
      return void (await args.ack());
    }
    // Every form records something: with the store unreachable, say so in the form, where the
    // person still has their text, rather than acknowledge and fail out of sight.
    const { store, storeCheckMs = 1_500 } = options;
    if (store && !(await store.reachable(storeCheckMs))) {
      log.warn({ callbackId: args.view.callback_id }, 'form refused: the incident store (Redis) is unreachable');
      return void (await args.ack(storeDownFormAnswer(args.view)));
    }
    let acked = false;
    const ack = (async (response?: ViewResponseAction) => {
      acked = true;
      return args.ack(response === undefined ? response : clean(response));
    }) as typeof args.ack;
    try {
      await listener({ ...args, ack } as SlackViewMiddlewareArgs<SlackViewAction> & AllMiddlewareArgs);
    } catch (error) {
      // The store went away between the check and the listener's writes.
      if (!store || (await store.reachable(storeCheckMs))) {
        // A view submission has no response_url: the person hears it as an ephemeral in their DM with the bot.
        const user = args.body.user.id;
        await answerHandlerError(error, log, { callbackId: args.view.callback_id }, (text) =>
          args.client.chat.postEphemeral({ channel: user, user, text }),
        );
        return;
      }
      log.warn({ err: error, callbackId: args.view.callback_id, acked }, 'form failed: the incident store (Redis) became unreachable');
      if (!acked) return void (await args.ack(storeDownFormAnswer(args.view)));
      await args.client.chat.postMessage({ channel: args.body.user.id, text: STORE_DOWN_AFTER_ACK }).catch(() => undefined);
    }
  });
  const once = (map: Map<string, unknown>, id: string, what: string) => {
    if (map.has(id)) throw new Error(`two listeners for the ${what} "${id}"`);
  };
  return {
    client: app.client,
    // Commands go through the same error path: one log line with a code, one ephemeral line.
    command: ((name: string, listener: CommandListener) =>
      app.command(name, async (args) => {
        // What a person typed is redacted on entry: a pasted token is echoed, stored and shown as [redacted].
        const text = redactText(args.command.text, secrets);
        const command = text === args.command.text ? args.command : { ...args.command, text };
        const respond = redacting(args.respond);
        try {
          await listener({ ...args, command, body: command, payload: command, ack: redacting(args.ack), respond });
        } catch (error) {
          await answerHandlerError(error, log, { command: name }, (text) => respond({ response_type: 'ephemeral', text }));
        }
      })) as unknown as App['command'],
    shortcut: app.shortcut.bind(app),
    event: app.event.bind(app),
    action(actionId, listener) {
      once(actions, actionId, 'action');
      actions.set(actionId, listener as unknown as ActionListener);
    },
    view(callbackId, listener) {
      once(views, callbackId, 'view');
      views.set(callbackId, listener as unknown as ViewListener);
    },
  };
}
