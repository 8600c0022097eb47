import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INPUTS, VIEWS } from '../../../src/adapters/outbound/slack/ids';
import { startBot, waitFor, type RunningBot } from '../../support/start-bot';

let bot: RunningBot;
beforeAll(async () => {
  bot = await startBot();
});
afterAll(async () => {
  await bot?.stop();
});

const values = (title: string, opts: { severity?: string; service?: string; channel?: boolean; summary?: string } = {}) => ({
  [INPUTS.title.block]: { [INPUTS.title.action]: { type: 'plain_text_input', value: title } },
  [INPUTS.severity.block]: {
    [INPUTS.severity.action]: { type: 'static_select', selected_option: opts.severity ? { value: opts.severity } : null },
  },
  [INPUTS.service.block]: {
    [INPUTS.service.action]: { type: 'static_select', selected_option: opts.service ? { value: opts.service } : null },
  },
  [INPUTS.summary.block]: { [INPUTS.summary.action]: { type: 'plain_text_input', value: opts.summary ?? '' } },
  [INPUTS.createChannel.block]: {
    [INPUTS.createChannel.action]: { type: 'checkboxes', selected_options: opts.channel ? [{ value: 'yes' }] : [] },
  },
});

const allIncidents = async () => (await bot.api('/api/incidents?status=all')).json.incidents as any[];

describe('/incident open with the modal', () => {
  it('opens a modal with the title prefilled and every severity with its definition', async () => {
    const res = await bot.command('open checkout is slow');
    expect(res.status).toBe(200);
    const call = await waitFor(() => bot.slack.callsTo('views.open')[0], 'views.open');
    const view = call.args.view;
    expect(view.callback_id).toBe(VIEWS.open);
    expect(JSON.stringify(view)).toContain('"initial_value":"checkout is slow"');
    for (const sev of ['P0', 'P1', 'P2', 'P3']) expect(JSON.stringify(view)).toContain(`"value":"${sev}"`);
    expect(call.args.trigger_id).toBeTruthy();
  });

  it('a submission without title or severity is answered in the form, nothing created', async () => {
    const res = await bot.submitView(VIEWS.open, values('   '));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      response_action: 'errors',
      errors: { [INPUTS.title.block]: 'Give the incident a title.', [INPUTS.severity.block]: 'Choose a severity.' },
    });
    expect(await allIncidents()).toEqual([]);
  });

  it('creates the incident with a dedicated channel (name taken → suffix), invites the opener, posts the summary', async () => {
    bot.slack.takenNames.add(`inc-${new Date().toISOString().slice(0, 10).replaceAll('-', '')}-001-payments-double-charging`);
    const res = await bot.submitView(
      VIEWS.open,
      values('Payments double charging', {
        severity: 'P0',
        service: 'checkout',
        channel: true,
        summary: 'cards charged twice since 10:02',
      }),
      { viewId: 'VOPEN1' },
    );
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    const created = await waitFor(
      () => bot.slack.callsTo('conversations.create').find((c) => c.args.name.endsWith('-2')),
      'channel with suffix',
    );
    expect(created.args.name).toMatch(/^inc-\d{8}-001-payments-double-charging-2$/);
    const invite = await waitFor(() => bot.slack.callsTo('conversations.invite')[0], 'invite');
    expect(invite.args.users).toBe('U0ALICE');
    await waitFor(
      () => bot.slack.callsTo('chat.postMessage').some((c) => String(c.args.text).includes('cards charged twice')),
      'summary in channel',
    );
    const [incident] = await waitFor(
      async () => ((await allIncidents())[0]?.slack.announcement ? await allIncidents() : null),
      'announcement stored',
    );
    expect(incident).toMatchObject({
      severity: 'P0',
      service: 'checkout',
      summary: 'cards charged twice since 10:02',
      slack: { channel: { name: created.args.name } },
    });
  });

  it('commands in the incident channel imply the incident', async () => {
    const [incident] = await allIncidents();
    const res = await bot.command('note seen from the channel', { channel: incident.slack.channel.id });
    await waitFor(() => bot.replies(res.responseId)[0], 'reply');
    const detail = (await bot.api(`/api/incidents/${incident.id}`)).json;
    expect(detail.timeline.at(-1)).toMatchObject({ kind: 'note', text: 'seen from the channel' });
  });

  it('a double-submitted modal (same view id, Slack retry) creates nothing more', async () => {
    const before = bot.slack.callsTo('chat.postMessage').length;
    await bot.submitView(VIEWS.open, values('Payments double charging', { severity: 'P0', channel: true }), { viewId: 'VOPEN1' });
    await bot.submitView(VIEWS.open, values('Payments double charging', { severity: 'P0', channel: true }), {
      viewId: 'VOPEN1',
      retryNum: 1,
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(await allIncidents()).toHaveLength(1);
    expect(bot.slack.callsTo('chat.postMessage').length).toBe(before);
    expect(bot.slack.callsTo('conversations.create').filter((c) => !c.args.name.endsWith('-2'))).toHaveLength(1);
  });

  it('a slash command retried by Slack (same trigger_id, X-Slack-Retry-Num) opens one incident and one announcement', async () => {
    const before = bot.slack.callsTo('chat.postMessage').length;
    const triggerId = 'trigger-retry-1';
    await bot.command('open P2 retried command', { triggerId });
    await bot.command('open P2 retried command', { triggerId, retryNum: 1 });
    await bot.command('open P2 retried command', { triggerId, retryNum: 2 });
    await waitFor(async () => (await allIncidents()).some((i) => i.title === 'retried command' && i.slack.announcement), 'announced');
    await new Promise((r) => setTimeout(r, 300));
    expect((await allIncidents()).filter((i) => i.title === 'retried command')).toHaveLength(1);
    expect(bot.slack.callsTo('chat.postMessage').length - before).toBe(1);
  });

  it('an unknown service in a forged submission is refused in the form', async () => {
    const res = await bot.submitView(VIEWS.open, values('x', { severity: 'P3', service: 'nope' }));
    expect(res.json.errors[INPUTS.service.block]).toContain('Unknown service');
  });
});
