import type { Logger } from '../../../logger';
import { expandJson } from '../../../domain/rollback/expand-placeholders';
import { formatStatusRanges, isStatusInRanges, type HttpRunnerSpec } from '../../../domain/rollback/rollback-plan';
import { FENCE, type RollbackRunner, type RunContext, type RunResult } from '../../../domain/rollback/rollback-runner';
import { guardedHttpRequest, BlockedDestinationError } from './guarded-http-request';
import { redactSecrets } from './redact-secrets';
import { plainText } from '../../../domain/phrase';

export interface HttpRollbackRunnerOptions {
  logger: Logger;
  /** Strings redacted from the response excerpt (tokens the config knows). */
  secrets?: readonly string[];
}

const EXCERPT_BYTES = 4 * 1024;

/** POSTs a JSON body to a deploy hook; success is decided by status code only, redirects are failures. */
export class HttpRollbackRunner implements RollbackRunner<HttpRunnerSpec> {
  private readonly log: Logger;

  constructor(private readonly options: HttpRollbackRunnerOptions) {
    this.log = options.logger.child({ component: 'http-rollback-runner' });
  }

  async run(ctx: RunContext<HttpRunnerSpec>): Promise<RunResult> {
    const { spec } = ctx;
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const body = expandJson(spec.body ?? {}, ctx.placeholders);
    if (!body.ok) return { outcome: 'failed', durationMs: 0, outputExcerpt: '', error: plainText(body.reason) };
    // Header values (Authorization) are secrets, and so is the credential after its scheme ("Bearer x").
    const headerValues = Object.values(spec.headers ?? {});
    const secrets = [...headerValues, ...headerValues.map((v) => v.replace(/^\S+\s+/, '')), ...(this.options.secrets ?? [])];
    const timeout = AbortSignal.timeout(spec.timeoutMs);

    try {
      const response = await guardedHttpRequest(spec.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'incident-bot',
          ...spec.headers,
          ...(ctx.fence ? { [FENCE.header.token]: String(ctx.fence.token), [FENCE.header.request]: ctx.fence.requestId } : {}),
        },
        body: JSON.stringify(body.value),
        signal: AbortSignal.any([ctx.signal, timeout]),
        maxBodyBytes: EXCERPT_BYTES,
      });
      const outputExcerpt = redactSecrets(`HTTP ${response.status}\n${response.body}`, secrets);
      ctx.onProgress({ message: `HTTP ${response.status}`, elapsedMs: elapsed() });
      if (isStatusInRanges(response.status, spec.successStatuses)) return { outcome: 'succeeded', durationMs: elapsed(), outputExcerpt };
      const redirect =
        response.status >= 300 && response.status < 400 ? ` (redirect to ${response.headers.location ?? '?'} not followed)` : '';
      return {
        outcome: 'failed',
        durationMs: elapsed(),
        outputExcerpt,
        error: `HTTP ${response.status}${redirect}; expected ${formatStatusRanges(spec.successStatuses)}`,
      };
    } catch (error) {
      if (ctx.signal.aborted) return { outcome: 'cancelled', durationMs: elapsed(), outputExcerpt: '', error: 'cancelled' };
      if (timeout.aborted)
        return { outcome: 'timed_out', durationMs: elapsed(), outputExcerpt: '', error: `no answer after ${spec.timeoutMs} ms` };
      const message =
        error instanceof BlockedDestinationError ? `refused: ${error.message}` : `request failed: ${(error as Error).message}`;
      this.log.warn({ runner: spec.name, reason: message }, 'HTTP rollback failed');
      return { outcome: 'failed', durationMs: elapsed(), outputExcerpt: '', error: message };
    }
  }
}
