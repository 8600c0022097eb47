import { describe, expect, it } from 'vitest';
import { reportBlocks } from '../../../src/adapters/outbound/slack/views/report-blocks';
import { phrase, user } from '../../../src/domain/phrase';
import { reportDocument } from '../../../src/domain/report/report-document';
import type { TimelineEvent } from '../../../src/domain/timeline';
import { blockKitErrors } from '../../../src/sandbox/slack-emulator/block-kit-limits';
import { at, REPORT_INPUT, ROLLBACK, scriptedIncident } from '../report/scripted-incident';

const FULL = '<https://github.test/acme/incidents/issues/7|GitHub issue #7>';

function draw(extraEvents = 0, overrides: Partial<Parameters<typeof reportDocument>[0]> = {}) {
  const { incident, timeline } = scriptedIncident();
  const extra: TimelineEvent[] = Array.from({ length: extraEvents }, (_, i) => ({
    id: `${at(60 + i)}-0`,
    at: at(60 + i),
    actor: i % 2 ? 'U0BOB' : 'alert:alertmanager',
    kind: 'note',
    text: phrase`checked shard ${i} with ${user('U0CAROL')}: ${'latency still high '.repeat(4)}<!channel>`,
  }));
  const document = reportDocument({ incident, timeline: [...timeline, ...extra], input: REPORT_INPUT, rollback: ROLLBACK, ...overrides });
  return reportBlocks({ document, revision: 2, writtenBy: 'U0ALICE', fullReport: FULL });
}

const mrkdwn = (blocks: unknown[]) => JSON.stringify(blocks);

describe('the incident report as Slack blocks', () => {
  it('a short report: header, a section per part, the whole timeline, within Block Kit limits', () => {
    const { blocks, text } = draw();
    expect(blockKitErrors(blocks)).toEqual([]);
    expect(blocks[0]).toMatchObject({ type: 'header' });
    expect(text).toContain('Incident report for INC-');
    for (const title of ['Summary', 'Impact', 'Root cause', 'Resolution', 'What went well', 'Action items', 'Prevention', 'Timeline'])
      expect(mrkdwn(blocks)).toContain(`*${title}*`);
    expect(mrkdwn(blocks)).not.toContain('more timeline entries');
    expect(mrkdwn(blocks)).not.toContain('Shortened here');
    expect(mrkdwn(blocks)).toContain(`Full report: ${FULL}`);
  });

  it('people are mentions in Slack; outside text notifies nobody', () => {
    const all = mrkdwn(draw(3).blocks);
    expect(all).toContain('Revision 2 by <@U0ALICE>');
    expect(all).toContain('— <@U0BOB> —');
    expect(all).toContain('with <@U0CAROL>');
    expect(all).toContain('&lt;!channel&gt;');
    expect(all).not.toContain('<!channel>');
  });

  it('a long timeline is packed into at most 50 blocks, each section under 3,000 characters, and says where the full report is', () => {
    const { blocks } = draw(400);
    expect(blockKitErrors(blocks)).toEqual([]);
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const block of blocks)
      if (block.type === 'section') expect(((block.text as { text: string }).text ?? '').length).toBeLessThanOrEqual(3000);
    const all = mrkdwn(blocks);
    expect(all).toMatch(/…and \d+ more timeline entries\./);
    expect(all).toContain(`Shortened here. Full report: ${FULL}`);
    // The earliest entries are the ones shown.
    expect(all).toContain('checked shard 0 ');
  });

  it('an overlong answer is cut within its section', () => {
    const { blocks } = draw(0, { input: { ...REPORT_INPUT, rootCause: 'x'.repeat(10_000) } });
    expect(blockKitErrors(blocks)).toEqual([]);
    expect(mrkdwn(blocks)).toContain('Shortened here.');
  });
});
