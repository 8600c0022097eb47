import { describe, expect, it } from 'vitest';
import { STORE_DOWN_IN_FORM, storeDownFormAnswer } from '../../../src/adapters/inbound/slack/store-down-answer';

describe('storeDownFormAnswer', () => {
  it.each([
    [
      'names the first input block',
      { values: { title: {}, severity: {} } },
      { response_action: 'errors', errors: { title: STORE_DOWN_IN_FORM } },
    ],
    ['closes a form without inputs', { values: {} }, undefined],
  ])('%s', (_what, state, expected) => {
    expect(storeDownFormAnswer({ state } as never)).toEqual(expected);
  });
});
