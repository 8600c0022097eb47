import { describe, expect, it } from 'vitest';
import { slackCallScopes } from '../../../src/adapters/outbound/slack/rate-limit-scopes';

const api = 'http://127.0.0.1:9/api/';

describe('slackCallScopes', () => {
  it.each([
    [
      'a post holds its method in its channel',
      `${api}chat.postMessage`,
      'channel=C0INCIDENT&text=hi',
      ['chat.postMessage', 'chat.postMessage:C0INCIDENT'],
      ['chat.postMessage:C0INCIDENT'],
    ],
    [
      'a channel name loses its #',
      `${api}chat.update`,
      'channel=%23incident-response&ts=1.2',
      ['chat.update', 'chat.update:incident-response'],
      ['chat.update:incident-response'],
    ],
    [
      'a JSON body is read too',
      `${api}chat.postMessage`,
      '{"channel":"C1","text":"x"}',
      ['chat.postMessage', 'chat.postMessage:C1'],
      ['chat.postMessage:C1'],
    ],
    [
      'a call naming no channel holds the whole method',
      `${api}views.publish`,
      'user_id=U1&view=%7B%7D',
      ['views.publish'],
      ['views.publish'],
    ],
    ['no body holds the whole method', `${api}auth.test`, undefined, ['auth.test'], ['auth.test']],
    ['an unreadable JSON body names no channel', `${api}chat.postMessage`, '{not json', ['chat.postMessage'], ['chat.postMessage']],
    ['a URL that is not a method is never held', 'http://127.0.0.1:9/upload/abc', 'x=1', [], []],
  ])('%s', (_what, url, body, check, holdOn429) => {
    expect(slackCallScopes(url, body)).toEqual({ check, holdOn429 });
  });
});
