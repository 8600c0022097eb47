import { describe, expect, it } from 'vitest';
import { mayStartRunner } from '../../../src/domain/rollback/may-start-runner';
import type { RollbackRequest } from '../../../src/domain/rollback/rollback-request';

const running = {
  status: 'running',
  runnerIndex: 0,
  execution: { token: 3, claimedAt: 1, startedAt: 2, finishedAt: null },
  stopRequested: null,
} as unknown as RollbackRequest;
const cases: Array<[string, RollbackRequest | null, number, number, number, string | null]> = [
  ['running under our token, newest, on this runner', running, 3, 3, 0, null],
  ['the request is gone', null, 3, 3, 0, 'fence.request_missing'],
  ['another execution owns it', { ...running, execution: { ...running.execution!, token: 4 } }, 3, 4, 0, 'fence.other_execution'],
  ['a newer token was handed out (a claim we did not see)', running, 3, 4, 0, 'fence.newer_token'],
  [
    'the write that made it running was lost (back to approved)',
    { ...running, status: 'approved' } as RollbackRequest,
    3,
    3,
    0,
    'fence.wrong_state',
  ],
  ['already on the fallback', { ...running, runnerIndex: 1 }, 3, 3, 0, 'fence.wrong_runner'],
  ['a stop was asked', { ...running, stopRequested: { by: 'U1', at: 1 } }, 3, 3, 0, 'fence.stopped'],
];

describe('mayStartRunner', () => {
  it.each(cases)('%s', (_name, request, token, latest, index, code) => {
    const result = mayStartRunner(request, token, latest, index);
    expect(result.ok ? null : result.code).toBe(code);
  });
});
