import { gunzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { extract } from 'tar-stream';
import { afterEach, describe, expect, it } from 'vitest';
import { RedisRollbackRecords } from '../../../src/adapters/outbound/redis/redis-rollback-records';
import { VIEWS } from '../../../src/adapters/outbound/slack/ids';
import { EVIDENCE_FILES } from '../../../src/domain/report/evidence-bundle';
import { blockKitErrors } from '../../../src/sandbox/slack-emulator/block-kit-limits';
import { TEST_API_TOKEN } from '../../support/start-bot';
import { createTestRedis } from '../../support/test-redis';
import { REPORT_FIELDS, startPaperBot, waitFor, type PaperBot } from './paper-trail-harness';

let bot: PaperBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

/** The rollback engineer's records, written where the rollback flow writes them. */
async function seedRollback(b: PaperBot, id: string): Promise<void> {
  const { redis, cleanup } = await createTestRedis('seed');
  try {
    const records = new RedisRollbackRecords(redis, b.prefix);
    const now = Date.now();
    await records.addDecision(id, {
      kind: 'proposal',
      by: 'U0ALICE',
      at: now - 4000,
      action: 'rollback checkout via checkout-rollback (level 2)',
    });
    await records.addDecision(id, {
      kind: 'approval',
      by: 'U0DAVE',
      at: now - 3000,
      action: 'rollback checkout via checkout-rollback (level 2)',
    });
    await records.setSignalsAtRollback(id, { error_rate: '18%', p95_ms: 2400 });
    await records.addExecution(id, {
      runner: 'checkout-rollback',
      kind: 'script',
      outcome: 'succeeded',
      exitCode: 0,
      startedAt: now - 2000,
      finishedAt: now - 1000,
      durationMs: 1000,
      outputExcerpt: '[7/7] done',
    });
    await records.addVerification(id, {
      passed: true,
      at: now - 500,
      checks: [{ name: 'checkout-smoke', passed: true, detail: '200 OK' }],
    });
  } finally {
    await cleanup();
  }
}

/** Splits the report into its `## ` sections. */
function sections(markdown: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of markdown.split(/^## /m).slice(1)) {
    const [title, ...body] = part.split('\n');
    out[title!.trim()] = body.join('\n');
  }
  return out;
}

async function untar(gz: Buffer): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const ex = extract();
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(c as Buffer));
      stream.on('end', () => {
        files[header.name] = Buffer.concat(chunks).toString('utf8');
        next();
      });
    });
    ex.on('finish', resolve);
    ex.on('error', reject);
  });
  Readable.from(gunzipSync(gz)).pipe(ex);
  await done;
  return files;
}

describe('incident report', () => {
  it('/incident report opens the form; submitting posts it in Slack, commits docs/incidents/<id>.md and the evidence, links it from the issue', async () => {
    bot = await startPaperBot({ file: { paper_trail: { commit_evidence: true } } });
    // Slack knows Alice's name (users.info); U0BOB it cannot find, so the report shows the bare id.
    bot.slack.users.set('U0ALICE', 'Alice Liddell');
    const id = await bot.open();
    const issue = await bot.issueOf(id);
    await bot.ask(`update ${id} identified deploy v6.2 is the cause`);
    await seedRollback(bot, id);
    await bot.ask(`resolve ${id} --override "verification ran outside the bot"`);

    const opened = await bot.command(`report ${id}`);
    const view = await waitFor(
      () => bot!.slack.callsTo('views.open').find((c) => JSON.stringify(c.args.view).includes(VIEWS.report)),
      'report form',
    );
    expect(bot.replies(opened.responseId)).toEqual([]);
    expect(JSON.stringify(view.args.view)).toContain(id);

    await bot.submitReport(id);
    const path = `docs/incidents/${id}.md`;
    const committed = await waitFor(() => bot!.github.file(path), 'report committed', 10_000);
    const report = committed.content;
    const s = sections(report);
    expect(report).toMatch(new RegExp(`^# Incident Post-Mortem: ${id} — checkout errors`));
    expect(Object.keys(s)).toEqual([
      'Summary',
      'Severity',
      'Timeline',
      'Impact',
      'Root Cause',
      'Signals at Time of Rollback',
      'Rollback Execution',
      'Resolution',
      'Lessons Learned',
      'Action Items',
      'Prevention',
    ]);
    expect(s.Severity).toContain('**P1 — High**');
    expect(s.Timeline).toContain('Status investigating → identified');
    expect(s.Timeline).toContain('— Alice Liddell — Recovery validation overridden by Alice Liddell: verification ran outside the bot');
    // Names, never a Slack id as @id (GitHub would mention whoever owns that login).
    expect(report).not.toMatch(/@U0/);
    expect(s.Impact).toContain(REPORT_FIELDS.impact);
    expect(s.Impact).toContain('**Users Affected**: ~4,200 customers');
    expect(s['Root Cause']).toContain(REPORT_FIELDS.rootCause);
    expect(s['Signals at Time of Rollback']).toContain('| error_rate | 18% |');
    expect(s['Rollback Execution']).toContain('| checkout-rollback | script | succeeded | exit 0 |');
    expect(s['Rollback Execution']).toContain('**PASSED**');
    expect(s.Resolution).toContain(REPORT_FIELDS.resolution);
    expect(s['Lessons Learned']).toContain('- Alert fired within 2 minutes');
    expect(s['Lessons Learned']).toContain('- Severity started too low');
    // Typed into the form as `@U0BOB`: a name as typed, its @ defused for GitHub.
    expect(s['Action Items']).toMatch(
      /- \[ \] Add the payment path to the canary checks — Owner: @\u200DU0BOB — Due: 2026-12-01 — Issue: \[#\d+\]\(https:\/\/github\.test\/acme\/incidents\/issues\/\d+\)/,
    );
    expect(s.Prevention).toContain(REPORT_FIELDS.prevention);
    expect(bot.github.commits.find((c) => c.path === path)?.message).toBe(`${id}: incident report`);

    // Evidence beside the report.
    for (const name of EVIDENCE_FILES.filter((f) => f !== 'INCIDENT-REPORT.md')) {
      await waitFor(() => bot!.github.file(`docs/incidents/${id}-evidence/${name}`), `evidence ${name}`);
    }
    // Posted in Slack, in the incident's place, as blocks Slack accepts: people as mentions.
    const posted = bot.slack.callsTo('chat.postMessage').filter((c) => String(c.args.text).includes(`Incident report for ${id}`));
    expect(posted.length).toBe(1);
    const blocks = typeof posted[0]!.args.blocks === 'string' ? JSON.parse(posted[0]!.args.blocks) : posted[0]!.args.blocks;
    expect(blockKitErrors(blocks)).toEqual([]);
    expect(JSON.stringify(blocks)).toContain(REPORT_FIELDS.rootCause);
    expect(JSON.stringify(blocks)).toContain('<@U0ALICE>');
    expect(JSON.stringify(blocks)).toContain(`docs/incidents/${id}.md`);
    // Linked from the issue; gate 4's report is recorded.
    await waitFor(
      () => issue.comments.some((c) => c.body.includes(`Report: https://github.test/acme/incidents/blob/main/${path}`)),
      'issue comment links the report',
    );
    expect((await bot.bot.store.get(id))?.gates?.reportWrittenAt).toEqual(expect.any(Number));
    expect(await bot.ask(`close ${id}`)).toContain('closed');
  });

  it('pull-request mode: the report lands on an incident branch with a pull request, not on main', async () => {
    bot = await startPaperBot({ file: { paper_trail: { report_mode: 'pull_request' } } });
    const id = await bot.open();
    await bot.issueOf(id);
    await bot.submitReport(id, { actionItems: '' });
    const branch = `incident-bot/${id.toLowerCase()}`;
    await waitFor(() => bot!.github.file(`docs/incidents/${id}.md`, branch), 'report on the branch', 10_000);
    expect(bot.github.file(`docs/incidents/${id}.md`)).toBeUndefined();
    const pulls = await waitFor(() => {
      const p = [...bot!.github.issues.values()].filter((i) => i.pull);
      return p.length ? p : null;
    }, 'pull request');
    expect(pulls).toHaveLength(1);
    expect(pulls[0]!.pull).toEqual({ head: branch, base: 'main' });
  });

  it('bad report input is answered in the form, naming the line', async () => {
    bot = await startPaperBot({ github: false });
    const id = await bot.open();
    const res = await bot.submitView(
      VIEWS.report,
      (await import('./paper-trail-harness')).reportValues({ rootCause: '', actionItems: 'fix it @U0BOB 2026-13-40\nno owner here' }),
      { privateMetadata: JSON.stringify({ incidentId: id }) },
    );
    expect(res.json.response_action).toBe('errors');
    expect(res.json.errors.root_cause).toMatch(/what caused it/);
    expect(res.json.errors.action_items).toMatch(/Line 1: "2026-13-40" is not a date.*Line 2: Name an owner/);
    expect((await bot.bot.store.timeline(id)).some((e) => e.kind === 'report_written')).toBe(false);
  });
});

describe('action items', () => {
  it('/incident action creates a labelled follow-up linked to the incident issue, listed in the report and shown with its state', async () => {
    bot = await startPaperBot();
    bot.slack.users.set('U0CAROL', 'Carol Danvers');
    const id = await bot.open();
    const incidentIssue = await bot.issueOf(id);
    const answer = await bot.ask(`action ${id} "Alert on payment client timeouts" <@U0CAROL|carol> 2026-12-05`);
    expect(answer).toContain(`Action item added to ${id}: Alert on payment client timeouts — <@U0CAROL>, due 2026-12-05`);
    const followUp = await waitFor(
      () => [...bot!.github.issues.values()].find((i) => i.labels.includes('incident-follow-up')),
      'follow-up issue',
    );
    expect(followUp.title).toBe(`${id} follow-up: Alert on payment client timeouts`);
    expect(followUp.body).toContain(`Follow-up from #${incidentIssue.number}`);
    // The same item again changes nothing.
    expect(await bot.ask(`action ${id} "Alert on payment client timeouts" <@U0CAROL|carol> 2026-12-05`)).toContain(
      'already has this action item',
    );

    await bot.submitReport(id, { actionItems: 'Document timeout budgets @dave' });
    const report = await waitFor(
      () => {
        const file = bot!.github.file(`docs/incidents/${id}.md`)?.content;
        return file?.includes('Document timeout budgets') && /Document timeout budgets.*Issue: \[#\d+\]/.test(file) ? file : null;
      },
      'report with both follow-ups',
      10_000,
    );
    expect(report).toContain(
      `- [ ] Alert on payment client timeouts — Owner: Carol Danvers — Due: 2026-12-05 — Issue: [#${followUp.number}]`,
    );
    // A typed @name stays a name, with a zero-width joiner so GitHub does not mention a login.
    expect(report).toMatch(/Document timeout budgets — Owner: @\u200Ddave — Due: not set — Issue: \[#\d+\]/);
    expect([...bot.github.issues.values()].filter((i) => i.labels.includes('incident-follow-up'))).toHaveLength(2);

    followUp.state = 'closed';
    const shown = await bot.reply((await bot.command(`show ${id}`)).responseId);
    const text = JSON.stringify(shown.blocks);
    expect(text).toContain('Action items* (2)');
    expect(text).toMatch(
      new RegExp(
        `Alert on payment client timeouts — <@U0CAROL> — due 2026-12-05 — :white_check_mark: closed <[^|]+\\|#${followUp.number}>`,
      ),
    );
    expect(text).toMatch(/Document timeout budgets — @dave — due not set — :large_green_circle: open/);
  });

  it.each([
    ['action', /An action item needs text and an owner: `\/incident action \[id\] "<what to do>" @owner \[YYYY-MM-DD\]`/],
    ['action "do the thing"', /Name an owner with @ after the text/],
    ['action "do the thing" <@U0BOB|bob> 2026-02-30', /"2026-02-30" is not a date; write the due date as YYYY-MM-DD/],
    ['action <@U0BOB|bob>', /Say what needs doing before the owner/],
  ])('%s → a clear ephemeral answer', async (text, expected) => {
    bot ??= await startPaperBot({ github: false });
    const res = await bot.command(text);
    expect(res.json).toMatchObject({ response_type: 'ephemeral' });
    expect(res.json.text).toMatch(expected);
  });
});

describe('evidence bundle', () => {
  it('GET /api/incidents/:id/evidence: a tar.gz of the four-gate protocol evidence files, the same as ?format=json, consistent with Slack and the read API', async () => {
    bot = await startPaperBot({ github: false });
    const id = await bot.open();
    await seedRollback(bot, id);
    await bot.ask(`severity ${id} confirm`);
    await bot.ask(`resolve ${id} rolled back --override "verified by hand"`);
    await bot.submitReport(id);

    const response = await fetch(`${bot.baseUrl}/api/incidents/${id}/evidence`, { headers: { authorization: `Bearer ${TEST_API_TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/gzip');
    expect(response.headers.get('content-disposition')).toContain(`${id}-evidence.tar.gz`);
    const tarred = await untar(Buffer.from(await response.arrayBuffer()));
    expect(Object.keys(tarred)).toEqual(EVIDENCE_FILES.map((f) => `${id}-evidence/${f}`));

    const json = (await bot.api(`/api/incidents/${id}/evidence?format=json`)).json;
    for (const name of EVIDENCE_FILES) expect(tarred[`${id}-evidence/${name}`]).toBe(json.files[name]);

    const api = await bot.incident(id);
    const resolution = JSON.parse(json.files['resolution-summary.json']);
    expect(resolution).toMatchObject({
      incidentId: id,
      status: api.status,
      summary: api.resolutionSummary,
      recoveryValidated: true,
      mitigated: true,
    });
    expect(JSON.parse(json.files['severity-assessment.json'])).toMatchObject({
      severity: 'P1',
      confirmed: true,
      confirmedBy: { id: 'U0ALICE' },
    });
    const decisions = JSON.parse(json.files['decision-log.json']).decisions.map((d: any) => d.kind);
    expect(decisions).toEqual(['proposal', 'approval', 'override']);
    expect(JSON.parse(json.files['recovery-validation.json'])).toMatchObject({
      status: 'passed',
      checks: [{ name: 'checkout-smoke', passed: true }],
    });
    const timelineMd = json.files['incident-timeline.md'];
    expect(api.timeline.filter((e: any) => e.kind !== 'opened').length).toBeGreaterThan(3);
    expect(timelineMd.split('\n').filter((l: string) => l.startsWith('- ')).length).toBe(api.timeline.length);
    // The report in the bundle is the full Markdown of the one posted in Slack.
    const posted = bot.slack.callsTo('chat.postMessage').filter((c) => String(c.args.text).includes(`Incident report for ${id}`));
    expect(posted.length).toBe(1);
    expect(json.files['INCIDENT-REPORT.md']).toContain(REPORT_FIELDS.rootCause);
    expect(JSON.stringify(posted[0]!.args.blocks)).toContain(REPORT_FIELDS.rootCause);
  });

  it('refuses without the token, names a bad id or format, 404 for an unknown incident', async () => {
    bot = await startPaperBot({ github: false });
    expect((await bot.api('/api/incidents/INC-20261121-001/evidence', null)).status).toBe(401);
    expect((await bot.api('/api/incidents/nope/evidence')).json).toMatchObject({ error: 'bad_id' });
    expect((await bot.api('/api/incidents/INC-19990101-001/evidence?format=zip')).json).toMatchObject({ error: 'bad_format' });
    expect((await bot.api('/api/incidents/INC-19990101-001/evidence')).status).toBe(404);
  });
});
