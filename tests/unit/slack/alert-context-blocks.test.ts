import { describe, expect, it } from 'vitest';
import { renderIssueBody } from '../../../src/adapters/outbound/github/render-issue-body';
import { alertContextBlocks } from '../../../src/adapters/outbound/slack/views/alert-context-blocks';
import { announcementView } from '../../../src/adapters/outbound/slack/views/announcement-view';
import { buildAlertContext } from '../../../src/domain/alert-context';
import { createIncident } from '../../../src/domain/incident';
import { DEFAULT_SLA_POLICY, slaState } from '../../../src/domain/sla-policy';
import { blockKitProblems } from '../../support/slack-stand-in';

const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
const HOSTILE = `<!channel> <@U0EVIL> <!subteam^S0ALL> *bold* \`code\` @acme/sre \u200b\u202e ${'x'.repeat(3100)}`;
const hostileContext = buildAlertContext(
  Array.from({ length: 3 }, (_, i) => ({
    labels: Object.fromEntries(Array.from({ length: 20 }, (_, j) => [`${HOSTILE}${j}`, HOSTILE])),
    links: Array.from({ length: 10 }, (_, j) => ({
      title: `Runbook @acme/sre ${HOSTILE}`,
      url: `https://rb.example/${i}/${j}?q=<!here>|x`,
    })),
  })),
  [],
);
const incident = {
  ...createIncident(
    'INC-20261121-001',
    { title: 'checkout errors', severity: 'P1', openedBy: 'alert:alertmanager', alertContext: hostileContext },
    T0,
  ).incident,
};

describe('alert context in Slack', () => {
  it('nothing when the incident has no alert context', () => {
    expect(alertContextBlocks(null)).toEqual([]);
    expect(alertContextBlocks({ links: [], labels: [] })).toEqual([]);
  });

  it('hostile link titles, labels and URLs stay within limits and notify nobody', () => {
    const blocks = alertContextBlocks(hostileContext);
    expect(blocks).toHaveLength(2);
    const { blocks: announced } = announcementView({ incident, sla: slaState(incident, DEFAULT_SLA_POLICY, T0), now: T0 });
    for (const b of [blocks, announced]) {
      expect(blockKitProblems(b)).toEqual([]);
      const json = JSON.stringify(b);
      for (const bad of ['<!channel>', '<@U0EVIL>', '<!subteam', '<!here>', '\u202e', '\u200b']) expect(json).not.toContain(bad);
    }
    // Each context element is mrkdwn under 3000 characters.
    for (const b of blocks) for (const e of (b as any).elements) expect(e.text.length).toBeLessThanOrEqual(3000);
  });
});

describe('alert context in the GitHub issue', () => {
  it('lists links and labels; @team in a title is no longer a mention; markup cannot escape', () => {
    const body = renderIssueBody(incident);
    expect(body).toContain('### Alert links');
    const linkLines = body.split('\n').filter((l) => l.startsWith('- ['));
    expect(linkLines).toHaveLength(6);
    for (const line of linkLines) {
      expect(line).not.toMatch(/@acme\/sre/); // a word joiner sits after the @
      expect(line).toContain('@\u2060acme/sre');
    }
    expect(body).not.toMatch(/@acme\/sre/);
    expect(body).toContain('\\*bold\\*');
    expect(body).not.toContain('<!channel>');
    expect(body).toContain('(https://rb.example/0/0?q=%3C!here%3E%7Cx)');
    expect(body).toContain('### Alert labels');
  });
});
