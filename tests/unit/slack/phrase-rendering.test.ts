import { describe, expect, it } from 'vitest';
import { parseSlackText } from '../../../src/adapters/inbound/slack/parse-slack-text';
import { renderIssueBody } from '../../../src/adapters/outbound/github/render-issue-body';
import { slackText } from '../../../src/adapters/outbound/slack/views/slack-text';
import { createIncident } from '../../../src/domain/incident';
import { phrase, plainText, user } from '../../../src/domain/phrase';
import { escapeBlock, escapeInline } from '../../../src/domain/report/escape-markdown';

const HOSTILE = '<!channel> <!here> <!subteam^S0ALL> <@U0CEO> *bold* \u200Bzero\u200D-width \u202Ertl\u202C & more';

describe('phrases: the domain records people, each front end renders them', () => {
  it('Slack: references become mentions, words are escaped once', () => {
    expect(slackText(phrase`Acknowledged by ${user('U0BOB')} & <co>`)).toBe('Acknowledged by <@U0BOB> &amp; &lt;co&gt;');
  });

  it('Slack: outside text (a plain string) never mentions anyone, however hostile', () => {
    const shown = slackText(HOSTILE);
    for (const live of ['<!channel>', '<!here>', '<!subteam^', '<@U0CEO>']) expect(shown).not.toContain(live);
    expect(shown).toContain('&lt;!channel&gt; &lt;!here&gt;');
    expect(shown).toContain('*bold*');
    // Bidirectional overrides are dropped (they could make text read backwards); the words stay.
    expect(shown).toContain(' rtl ');
    expect(shown).not.toMatch(/[\u202A-\u202E]/);
  });

  it('what a person typed in Slack round-trips: mentions, channels, groups, links, escapes', () => {
    const typed =
      'cc <@U0BOB|bob> <#C0OPS|ops> <!subteam^S0SRE|@sre> <!here> <https://x.example/a?b=1&amp;c=2|the dash> 1 &lt; 2 &amp;&amp; *ok*';
    const parsed = parseSlackText(typed);
    expect(slackText(parsed)).toBe(
      'cc <@U0BOB> <#C0OPS> <!subteam^S0SRE> <!here> <https://x.example/a?b=1&amp;c=2|the dash> 1 &lt; 2 &amp;&amp; *ok*',
    );
    expect(plainText(parsed, (id) => (id === 'U0BOB' ? 'Bob' : id))).toBe(
      'cc Bob #ops sre @here the dash (https://x.example/a?b=1&c=2) 1 < 2 && *ok*',
    );
    expect(parseSlackText('no markup here')).toBe('no markup here');
  });

  it('GitHub: people by name, @login and @org/team defused, e-mail addresses left alone', () => {
    expect(escapeInline('ping @octocat and @acme/oncall, mail ops@acme.example')).toBe(
      'ping @\u200Doctocat and @\u200Dacme/oncall, mail ops@acme.example',
    );
    expect(escapeBlock('@here\n<!channel>')).toBe('@\u200Dhere\n&lt;!channel>');
    const { incident } = createIncident(
      'INC-20261121-001',
      { title: 'x', summary: 'cc @acme/payments', severity: 'P1', openedBy: 'U0ALICE' },
      0,
    );
    const body = renderIssueBody(incident, undefined, { U0ALICE: 'Alice' });
    expect(body).toContain('P1 chosen by Alice');
    expect(body).toContain('cc @\u200Dacme/payments');
    expect(body).not.toMatch(/@U0ALICE|<@/);
  });
});
