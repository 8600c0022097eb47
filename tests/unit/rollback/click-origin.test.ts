import { describe, expect, it } from 'vitest';
import { checkClickOrigin, type ClickOrigin } from '../../../src/domain/rollback/click-origin';

const request = {
  id: 'INC-20261121-001-R1',
  messages: [
    { channel: 'C0INC', ts: '10.1' },
    { channel: 'C0RESP', ts: '10.2' },
  ],
};

const cases: Array<[string, ClickOrigin, boolean]> = [
  ['its message in the incident channel', { channel: 'C0INC', ts: '10.1', metadataRequestId: null }, true],
  ['its message in the response channel', { channel: 'C0RESP', ts: '10.2', metadataRequestId: null }, true],
  ['its message, metadata agreeing', { channel: 'C0INC', ts: '10.1', metadataRequestId: request.id }, true],
  ['a message not yet stored, metadata naming it', { channel: 'C0INC', ts: '10.9', metadataRequestId: request.id }, true],
  ["another request's message", { channel: 'C0INC', ts: '11.1', metadataRequestId: null }, false],
  ['its ts in another channel', { channel: 'C0OTHER', ts: '10.1', metadataRequestId: null }, false],
  ['its message but metadata naming another request', { channel: 'C0INC', ts: '10.1', metadataRequestId: 'INC-20261121-001-R2' }, false],
  ['no message at all (a modal, a forged payload)', { channel: null, ts: null, metadataRequestId: null }, false],
];

describe('checkClickOrigin', () => {
  it.each(cases)('%s', (_name, origin, accepted) => {
    const result = checkClickOrigin(request, origin);
    expect(result.ok).toBe(accepted);
    if (!result.ok) expect(result.code).toBe('rollback.wrong_message');
  });
});
