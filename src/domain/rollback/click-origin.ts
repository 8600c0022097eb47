import { refuse, type Result } from '../result';
import type { RollbackRequest } from './rollback-request';

/** Where a click on a rollback button came from, as Slack reports it. */
export interface ClickOrigin {
  channel: string | null;
  ts: string | null;
  /** The request id in the clicked message's metadata, when Slack sent it. */
  metadataRequestId: string | null;
}

/**
 * A button's value names a request, but only the message it sits on proves which request the
 * person saw: a click is honoured only when that message is one of the request's own approval
 * messages (or, in the moment between posting and storing where it was posted, carries the
 * request's id in its metadata). An edited value pointing at another request is refused.
 */
export function checkClickOrigin(request: Pick<RollbackRequest, 'id' | 'messages'>, origin: ClickOrigin): Result<object> {
  const wrong = refuse(
    'rollback.wrong_message',
    `That button is not on ${request.id}'s approval message; click the one on its own message.`,
  );
  if (origin.metadataRequestId !== null && origin.metadataRequestId !== request.id) return wrong;
  if (request.messages.some((m) => m.channel === origin.channel && m.ts === origin.ts)) return { ok: true };
  if (origin.metadataRequestId === request.id) return { ok: true };
  return wrong;
}
