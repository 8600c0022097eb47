import { describe, expect, it } from 'vitest';
import { escapeBlock, escapeInline, fencedBlock } from '../../../src/domain/report/escape-markdown';
import { displayActor, namedText } from '../../../src/domain/report/people-text';
import { parseSlackText } from '../../../src/adapters/inbound/slack/parse-slack-text';

describe('escapeInline', () => {
  it.each([
    ['plain text', 'plain text'],
    ['two\nlines', 'two lines'],
    ['a | b', 'a \\| b'],
    ['# heading', '\\# heading'],
    ['> quote', '\\> quote'],
    ['- nested', '\\- nested'],
    ['1. ordered', '\\1. ordered'],
    ['<!-- marker -->', '&lt;!-- marker -->'],
    ['<img src=x>', '&lt;img src=x>'],
    ['error_rate < 1% and p95 > 2x', 'error_rate < 1% and p95 > 2x'],
  ])('%j → %j', (input, expected) => {
    expect(escapeInline(input)).toBe(expected);
  });
});

describe('escapeBlock', () => {
  it.each([
    ['line one\nline two', 'line one\nline two'],
    ['## heading', '\\## heading'],
    ['x\n   # indented heading', 'x\n   \\# indented heading'],
    ['text\n---', 'text\n\\---'],
    ['text\n===', 'text\n\\==='],
    ['* * *', '\\* * *'],
    ['```js', '\\```js'],
    ['~~~', '\\~~~'],
    ['| a | b |', '\\| a | b |'],
    ['a\n\n\n\nb', 'a\n\nb'],
    ['a\r\nb', 'a\nb'],
  ])('%j → %j', (input, expected) => {
    expect(escapeBlock(input)).toBe(expected);
  });
});

describe('fencedBlock', () => {
  it('uses a fence longer than any backtick run inside', () => {
    expect(fencedBlock('plain')).toBe('```text\nplain\n```');
    expect(fencedBlock('has ```` four')).toBe('`````text\nhas ```` four\n`````');
  });
});

// What a person typed in Slack, parsed at the Slack edge, shown in Markdown: names, never `@id`.
describe('namedText(parseSlackText(…)) / displayActor', () => {
  const names = { U0ALICE: 'alice' };
  it.each([
    ['<@U0ALICE> acked', 'alice acked'],
    ['<@U0NOBODY>', 'U0NOBODY'],
    ['see <#C0INC|inc-1>', 'see #inc-1'],
    ['<!here> look', '@here look'],
    ['<https://grafana.example/d/1|dashboard>', 'dashboard (https://grafana.example/d/1)'],
    ['<https://x.example>', 'https://x.example'],
    ['<!-- not slack -->', '<!-- not slack -->'],
  ])('%j → %j', (input, expected) => {
    expect(namedText(parseSlackText(input), names)).toBe(expected);
  });

  it('names actors', () => {
    expect(displayActor('U0ALICE', names)).toBe('alice');
    expect(displayActor('U0NOBODY', names)).toBe('U0NOBODY');
    expect(displayActor('bot', names)).toBe('incident-bot');
    expect(displayActor('alert:alertmanager', names)).toBe('alert:alertmanager');
  });
});
