import { describe, expect, it } from 'vitest';
import { renderMrkdwn } from '../../../src/sandbox/web/mrkdwn.js';
import { formatSlackDate } from '../../../src/sandbox/web/slack-date.js';

const ctx = {
  users: { U0DANA: 'dana' },
  channels: { C0INC: 'incident-response' },
  groups: { S0SRE: 'sre' },
  now: Date.UTC(2026, 10, 21, 12, 0, 0),
  timeZone: 'UTC',
};
// 2026-11-21 09:14:05 UTC, a Saturday.
const SAT = Date.UTC(2026, 10, 21, 9, 14, 5) / 1000;

describe('mrkdwn as Slack renders it', () => {
  it.each([
    ['*bold*', '<b>bold</b>'],
    ['_italic_', '<i>italic</i>'],
    ['~struck~', '<s>struck</s>'],
    ['a*b*c', 'a*b*c'],
    ['`*not bold*`', '<code>*not bold*</code>'],
    ['```line 1\n*x*```', '<pre>line 1\n*x*</pre>'],
    ['&lt;b&gt; &amp; co', '&lt;b&gt; &amp; co'],
    ['a raw <script> tag', 'a raw script tag'],
  ])('%s', (text, html) => {
    expect(renderMrkdwn(text, ctx)).toBe(html);
  });

  it('draws user mentions by name, channel links by name, groups and broadcasts', () => {
    expect(renderMrkdwn('<@U0DANA> in <#C0INC> and <#C0NEW|new-one>, cc <!subteam^S0SRE> <!here>', ctx)).toBe(
      '<span class="mention" data-user="U0DANA">@dana</span> in <span class="channel-link" data-channel="C0INC">#incident-response</span> and <span class="channel-link" data-channel="C0NEW">#new-one</span>, cc <span class="mention group">@sre</span> <span class="mention broadcast">@here</span>',
    );
  });

  it('keeps formatting out of links and never lets a javascript: URL through', () => {
    expect(renderMrkdwn('<https://x.test/a_b_c|the *runbook*>', ctx)).toBe(
      '<a href="https://x.test/a_b_c" target="_blank" rel="noopener">the *runbook*</a>',
    );
    expect(renderMrkdwn('<javascript:alert(1)|click>', ctx)).toBe('click');
  });

  it('quotes lines that start with >', () => {
    expect(renderMrkdwn('&gt; quoted\n&gt; more\nafter', ctx)).toBe('<blockquote>quoted<br>more</blockquote>after');
  });

  it('turns known :emoji: into characters and leaves unknown ones as typed', () => {
    expect(renderMrkdwn(':warning: :not_an_emoji:', ctx)).toContain(':not_an_emoji:');
    expect(renderMrkdwn(':warning:', ctx)).toContain('⚠️');
  });

  it('renders <!date^…> in the reader’s time zone, with the fallback for unknown tokens', () => {
    expect(renderMrkdwn(`<!date^${SAT}^{date_short_pretty} {time}|2026-11-21 09:14 UTC>`, ctx)).toBe(
      '<span class="date">Today 9:14 AM</span>',
    );
    expect(renderMrkdwn(`<!date^${SAT}^{date_short_pretty} {time}|fallback>`, { ...ctx, timeZone: 'America/Los_Angeles' })).toBe(
      '<span class="date">Today 1:14 AM</span>',
    );
    expect(renderMrkdwn(`<!date^${SAT}^{nonsense}|the fallback>`, ctx)).toBe('<span class="date">the fallback</span>');
    expect(renderMrkdwn(`<!date^${SAT}^{date}^https://x.test|f>`, ctx)).toBe(
      '<a class="date" href="https://x.test" target="_blank" rel="noopener">November 21st, 2026</a>',
    );
  });
});

describe('<!date^…> tokens', () => {
  const at = (format: string, now = ctx.now) => formatSlackDate(SAT, format, { now, timeZone: 'UTC' });
  it.each([
    ['{date_num}', '2026-11-21'],
    ['{date}', 'November 21st, 2026'],
    ['{date_short}', 'Nov 21, 2026'],
    ['{date_long}', 'Saturday, November 21st, 2026'],
    ['{date_long_full}', 'November 21, 2026'],
    ['{time}', '9:14 AM'],
    ['{time_secs}', '9:14:05 AM'],
    ['{date_pretty} at {time}', 'Today at 9:14 AM'],
    ['at {date_pretty}', 'at today'],
    ['{ago}', '2 hours ago'],
  ])('%s → %s', (format, expected) => {
    expect(at(format)).toBe(expected);
  });

  it('says yesterday and tomorrow, and ordinals 11th–13th', () => {
    expect(at('{date_pretty}', ctx.now + 86_400_000)).toBe('Yesterday');
    expect(at('{date_short_pretty}', ctx.now - 86_400_000)).toBe('Tomorrow');
    expect(formatSlackDate(Date.UTC(2026, 10, 12) / 1000, '{date}', { timeZone: 'UTC' })).toBe('November 12th, 2026');
    expect(formatSlackDate(Date.UTC(2026, 10, 22) / 1000, '{date}', { timeZone: 'UTC' })).toBe('November 22nd, 2026');
  });

  it('returns null for a token Slack does not know, so the fallback shows', () => {
    expect(at('{when}')).toBeNull();
  });
});
