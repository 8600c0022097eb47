import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * The request a piece of work belongs to. Set once where a request enters (the HTTP server,
 * Bolt's middleware for Socket Mode) and read by the logger's mixin, so every log line of a
 * request carries its id without passing a logger through every call.
 */
const storage = new AsyncLocalStorage<{ reqId: string }>();

export function currentRequestId(): string | undefined {
  return storage.getStore()?.reqId;
}

/** Runs `fn` as request `reqId`. */
export function runInRequest<T>(reqId: string, fn: () => T): T {
  return storage.run({ reqId }, fn);
}

const GOOD_ID = /^[\w.:-]{1,128}$/;

/** A caller's X-Request-Id when it is a sane token (a load balancer's), else a fresh one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given && GOOD_ID.test(given) ? given : randomUUID();
}
