import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INPUTS, VIEWS } from '../../../src/adapters/outbound/slack/ids';
import { GATE_INSTRUCTIONS } from '../../../src/domain/report/gates';
import { startPaperBot, waitFor, type PaperBot } from './paper-trail-harness';
import { slackShows } from '../../support/slack-shows';

let bot: PaperBot;
beforeAll(async () => {
  bot = await startPaperBot({ github: false });
});
afterAll(async () => {
  await bot?.stop();
});

describe('gate 3: resolved needs validated recovery or an override with a reason', () => {
  it('refuses a plain resolve, naming what is missing and how to supply it; changes nothing', async () => {
    const id = await bot.open();
    // The reply is mrkdwn with `<` escaped as Slack asks; the person reads the characters.
    const answer = slackShows(await bot.ask(`resolve ${id} rolled back`));
    expect(answer).toBe(`:warning: Gate 3 (Recovery validation) blocks resolving. Still needed:\n• ${GATE_INSTRUCTIONS.recovery}`);
    expect(answer).toContain(`/incident resolve [id] [summary] --override "<reason>"`);
    const stored = await bot.incident(id);
    expect(stored.status).toBe('investigating');
    expect(stored.timeline.map((e: any) => e.kind)).not.toContain('recovery_override');
  });

  it('--override without a reason is answered at once', async () => {
    const res = await bot.command('resolve --override');
    expect(res.json.text).toMatch(/Give the reason after --override/);
  });

  it('an override resolves, on the timeline and in the decision log', async () => {
    const id = await bot.open();
    expect(await bot.ask(`resolve ${id} flag flipped back --override “fixed upstream; dashboards green for 30 min”`, 'U0CAROL')).toContain(
      `${id} resolved (recovery validation overridden`,
    );
    const stored = await bot.incident(id);
    expect(stored).toMatchObject({ status: 'resolved', resolutionSummary: 'flag flipped back' });
    expect(stored.timeline.find((e: any) => e.kind === 'recovery_override')).toMatchObject({
      actor: 'U0CAROL',
      text: 'Recovery validation overridden by <@U0CAROL>: fixed upstream; dashboards green for 30 min',
    });
    const evidence = (await bot.api(`/api/incidents/${id}/evidence?format=json`)).json;
    expect(JSON.parse(evidence.files['decision-log.json']).decisions).toEqual([
      expect.objectContaining({
        kind: 'override',
        by: { id: 'U0CAROL', name: null },
        reason: 'fixed upstream; dashboards green for 30 min',
      }),
    ]);
  });

  it('validated recovery (set by the rollback flow) resolves without an override', async () => {
    const id = await bot.open();
    await bot.bot.store.update(id, (i) => ({
      ok: true,
      incident: {
        ...i,
        gates: {
          readinessPassedAt: null,
          decisionRecordedAt: null,
          recoveryOverride: null,
          reportWrittenAt: null,
          recoveryValidatedAt: Date.now(),
        },
      },
      events: [],
    }));
    expect(await bot.ask(`resolve ${id} rolled back, checks green`)).toContain(`${id} resolved.`);
  });

  it('the Resolve dialog asks for the reason in the form when recovery is not validated', async () => {
    const id = await bot.open();
    const meta = { privateMetadata: JSON.stringify({ incidentId: id }) };
    const summary = {
      [INPUTS.resolutionSummary.block]: { [INPUTS.resolutionSummary.action]: { type: 'plain_text_input', value: 'fixed' } },
    };
    const refused = await bot.submitView(VIEWS.resolve, summary, meta);
    expect(refused.json).toMatchObject({
      response_action: 'errors',
      errors: { [INPUTS.overrideReason.block]: expect.stringMatching(/Recovery is not validated \(gate 3\)/) },
    });
    const reason = {
      [INPUTS.overrideReason.block]: { [INPUTS.overrideReason.action]: { type: 'plain_text_input', value: 'customer confirmed' } },
    };
    await bot.submitView(VIEWS.resolve, { ...summary, ...reason }, meta);
    await waitFor(async () => (await bot.incident(id)).status === 'resolved', 'resolved from the dialog');
  });
});

describe('gate 4: closed needs the resolution summary and the report', () => {
  it('names both when both are missing, then the report supplies them', async () => {
    const id = await bot.open();
    await bot.ask(`resolve ${id} --override "fixed by the provider"`);
    expect(slackShows(await bot.ask(`close ${id}`))).toBe(
      `:warning: Gate 4 (Resolution & documentation) blocks closing. Still needed:\n• ${GATE_INSTRUCTIONS.summary}\n• ${GATE_INSTRUCTIONS.report}`,
    );
    expect((await bot.incident(id)).status).toBe('resolved');

    // /incident show lists all four gates and what each still needs.
    const shown = JSON.stringify((await bot.reply((await bot.command(`show ${id}`)).responseId)).blocks);
    for (const gate of [
      'Gate 1 — Severity alignment',
      'Gate 2 — Mitigation readiness',
      'Gate 3 — Recovery validation',
      'Gate 4 — Resolution &amp; documentation',
    ])
      expect(shown).toContain(gate);
    expect(shown).toContain(':white_check_mark: *Gate 3');
    expect(shown).toContain(':no_entry: *Gate 4');
    expect(shown).toContain('Gate 3 overridden by <@U0ALICE>: fixed by the provider');

    await bot.submitReport(id, { resolution: 'The provider fixed their API.' });
    const stored = await bot.incident(id);
    expect(stored.resolutionSummary).toBe('The provider fixed their API.');
    expect(await bot.ask(`close ${id}`)).toContain(`${id} closed`);
    expect(await bot.ask(`report ${id}`)).toContain('is closed; its report can no longer change');
  });

  it('the Write report button on the resolved announcement opens the form', async () => {
    const id = await bot.open();
    await bot.ask(`resolve ${id} done --override "checked by hand"`);
    const before = bot.slack.callsTo('views.open').length;
    await bot.click('incident_write_report', id);
    await waitFor(() => bot.slack.callsTo('views.open').length > before, 'form opened');
    expect(JSON.stringify(bot.slack.callsTo('views.open').at(-1)!.args.view)).toContain(VIEWS.report);
  });
});

describe('gates off', () => {
  it('with gates.enforce false, resolve and close go through freely (show says so)', async () => {
    const free = await startPaperBot({ github: false, file: { gates: { enforce: false } } });
    try {
      const id = await free.open();
      expect(await free.ask(`resolve ${id} fixed`)).toContain('resolved');
      expect(await free.ask(`close ${id}`)).toContain('closed');
      const shown = JSON.stringify((await free.reply((await free.command(`show ${id}`)).responseId)).blocks);
      expect(shown).toContain('not enforced in this installation');
    } finally {
      await free.stop();
    }
  });
});
