import { afterEach, describe, expect, it } from 'vitest';
import { phrase, user } from '../../../src/domain/phrase';
import { blockKitErrors } from '../../../src/sandbox/slack-emulator/block-kit-limits';
import { createTestRedis } from '../../support/test-redis';
import { REPORT_FIELDS, startPaperBot, waitFor, type PaperBot } from './paper-trail-harness';

let bot: PaperBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

describe('the incident report in Slack and on GitHub', () => {
  it('a report with a long timeline is posted as blocks Slack accepts, people as mentions; GitHub shows their names', {
    timeout: 30_000,
  }, async () => {
    bot = await startPaperBot();
    bot.slack.users.set('U0ALICE', 'Alice Liddell');
    bot.slack.users.set('U0BOB', 'Bob Builder');
    const id = await bot.open('open P1 checkout errors');
    // A long night: 150 notes, each naming a person.
    for (let i = 0; i < 150; i++)
      await bot.bot.service.addNote(id, phrase`shard ${i} checked with ${user('U0BOB')}: p95 still 2.4s on eu-west`, 'U0ALICE');
    await bot.ask(`resolve ${id} rolled back v42 --override "dashboards green for 30 minutes"`);
    await bot.submitReport(id);

    const posted = await waitFor(
      () => bot!.slack.callsTo('chat.postMessage').find((c) => String(c.args.text).includes(`Incident report for ${id}`)),
      'the report in Slack',
    );
    const blocks = typeof posted.args.blocks === 'string' ? JSON.parse(posted.args.blocks) : posted.args.blocks;
    expect(blockKitErrors(blocks)).toEqual([]);
    expect(blocks.length).toBeLessThanOrEqual(50);
    const shown = JSON.stringify(blocks);
    expect(shown).toContain(REPORT_FIELDS.rootCause);
    expect(shown).toContain('shard 0 checked with <@U0BOB>');
    expect(shown).toMatch(/…and \d+ more timeline entries\./);
    expect(shown).toContain(`Full report: <https://github.test/acme/incidents/issues/`);
    // Slack renders mentions itself: names are not spelled out there.
    expect(shown).not.toContain('Bob Builder');

    // GitHub: names, never the ids.
    const committed = await waitFor(() => bot!.github.file(`docs/incidents/${id}.md`), 'report committed', 10_000);
    expect(committed.content).toContain('shard 0 checked with Bob Builder');
    expect(committed.content).toContain('— Alice Liddell —');
    expect(committed.content).not.toMatch(/checked with U0BOB/);
    const issue = await bot.issueOf(id);
    await waitFor(() => issue.comments.some((c) => c.body.includes('Alice Liddell')), 'a timeline comment with the name', 10_000);
    expect(issue.comments.map((c) => c.body).join('\n')).not.toMatch(/\bU0ALICE\b|\bU0BOB\b/);

    // Names are kept in Redis for a while, for every replica: users.info is not asked again meanwhile.
    const { redis, cleanup } = await createTestRedis('names');
    try {
      expect(await redis.get(`${bot.prefix}user-name:U0BOB`)).toBe('Bob Builder');
      expect(await redis.pttl(`${bot.prefix}user-name:U0BOB`)).toBeGreaterThan(0);
    } finally {
      await cleanup();
    }
  });
});
