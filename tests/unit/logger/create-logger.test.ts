import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger';
import { runInRequest } from '../../../src/request-context';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: createLogger('info', sink), lines };
}

describe('createLogger', () => {
  it('writes each key once: the innermost component, the call site over a binding', () => {
    const { log, lines } = capture();
    log
      .child({ component: 'rollback-runner' })
      .child({ component: 'script-rollback-runner', incidentId: 'INC-1' })
      .info({ incidentId: 'INC-2' }, 'ran');
    expect(lines[0]!.match(/"component"/g)).toHaveLength(1);
    expect(lines[0]!.match(/"incidentId"/g)).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ component: 'script-rollback-runner', incidentId: 'INC-2', msg: 'ran' });
  });

  it('ISO-8601 times, the request id inside a request only, secrets redacted', () => {
    const { log, lines } = capture();
    runInRequest('req-1', () => log.info({ token: 'xoxb-secret' }, 'inside'));
    log.info('outside');
    const [inside, outside] = lines.map((l) => JSON.parse(l));
    expect(inside.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(inside).toMatchObject({ reqId: 'req-1', token: '[redacted]' });
    expect(outside.reqId).toBeUndefined();
  });
});
