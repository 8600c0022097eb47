import { describe, expect, it } from 'vitest';
import { redactBody } from '../../../src/adapters/outbound/slack/redacting-fetch';
import { redactDeep } from '../../../src/domain/redaction/redact-deep';

const TOKEN = 'xoxb-999999999999-8888888888888-ForeignSlackTokenValue';

describe('redactDeep', () => {
  it('redacts every string inside, keeps keys, numbers and the shape', () => {
    const value = { text: `t ${TOKEN}`, n: 3, list: [{ deep: 'configured-secret-value' }, null, true], keep: 'plain' };
    expect(redactDeep(value, ['configured-secret-value'])).toEqual({
      text: 't [redacted]',
      n: 3,
      list: [{ deep: '[redacted]' }, null, true],
      keep: 'plain',
    });
  });
});

describe('redactBody (what the Slack client sends)', () => {
  it('redacts a form field holding JSON without breaking it, even next to an escaped quote', () => {
    const blocks = JSON.stringify([{ type: 'section', text: { type: 'mrkdwn', text: `Authorization: Bearer abc"def ${TOKEN}` } }]);
    const body = new URLSearchParams({ channel: 'C0INCIDENT', text: `alert ${TOKEN}`, blocks }).toString();
    const out = new URLSearchParams(redactBody(body, []));
    expect(out.get('channel')).toBe('C0INCIDENT');
    expect(out.get('text')).toBe('alert [redacted]');
    const parsed = JSON.parse(out.get('blocks')!);
    expect(parsed[0].text.text).not.toContain('abc');
    expect(parsed[0].text.text).not.toContain(TOKEN);
  });

  it('redacts a JSON body and leaves a field with nothing to hide exactly as it was', () => {
    expect(JSON.parse(redactBody(JSON.stringify({ text: TOKEN, n: 1 }), []))).toEqual({ text: '[redacted]', n: 1 });
    const form = new URLSearchParams({ text: '{ "not": "touched" }' }).toString();
    expect(new URLSearchParams(redactBody(form, [])).get('text')).toBe('{ "not": "touched" }');
  });
});
