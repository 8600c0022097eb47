import { afterAll, describe, expect, it } from 'vitest';
import { ACTIONS, INPUTS, VIEWS } from '../../../src/adapters/outbound/slack/ids';
import { waitFor, type RunningBot } from '../../support/start-bot';
import { allIncidents, amWebhook, incident, lastDrawn, postAlert, startAlertBot } from './alert-harness';

// alerts.related: an alert and a person's /incident open for the same service, minutes apart.
const bots: RunningBot[] = [];
async function start(mode: 'join' | 'offer' | 'off'): Promise<RunningBot> {
  const bot = await startAlertBot({
    file: {
      services: [{ name: 'checkout' }, { name: 'search' }],
      alerts: { slack_min_interval: '20ms', related: { window: '10m', mode } },
    },
  });
  bots.push(bot);
  return bot;
}
afterAll(async () => {
  await Promise.all(bots.map((b) => b.stop({ cleanup: true })));
});

let views = 0;
/** A person opens an incident with the form (the form names the service). Returns its id and what they were told. */
async function personOpens(bot: RunningBot, service: string, title = `${service} looks broken`): Promise<{ id: string; told: string }> {
  const before = new Set((await allIncidents(bot)).map((i) => i.id));
  await bot.submitView(
    VIEWS.open,
    {
      [INPUTS.title.block]: { [INPUTS.title.action]: { type: 'plain_text_input', value: title } },
      [INPUTS.severity.block]: { [INPUTS.severity.action]: { type: 'static_select', selected_option: { value: 'P2' } } },
      [INPUTS.service.block]: { [INPUTS.service.action]: { type: 'static_select', selected_option: { value: service } } },
      [INPUTS.summary.block]: { [INPUTS.summary.action]: { type: 'plain_text_input', value: '' } },
      [INPUTS.createChannel.block]: { [INPUTS.createChannel.action]: { type: 'checkboxes', selected_options: [] } },
    },
    { viewId: `VREL${++views}`, user: 'U0ALICE', privateMetadata: JSON.stringify({ originChannel: 'C0INCIDENT' }) },
  );
  const created = await waitFor(async () => (await allIncidents(bot)).find((i) => !before.has(i.id)), 'the person’s incident');
  const told = await waitFor(
    () =>
      bot.slack.calls.find(
        (c) => c.method === 'chat.postEphemeral' && c.args.user === 'U0ALICE' && String(c.args.text).includes(created.id),
      )?.args.text as string | undefined,
    'the ephemeral answer',
  );
  return { id: created.id, told };
}

async function alertFires(bot: RunningBot, service: string, fingerprint: string) {
  return postAlert(
    bot,
    'alertmanager',
    amWebhook(`{}:{alertname="HighErrorRate", service="${service}", fp="${fingerprint}"}`, [
      { fingerprint, labels: { service }, annotations: { error_rate: '18' } },
    ]),
  );
}

const kinds = async (bot: RunningBot, id: string) => (await incident(bot, id)).timeline.map((e: any) => e.kind) as string[];

describe('offer mode', () => {
  it('an alert after a person’s incident opens its own, offers "Merge into"; the click merges once, a second click is told', async () => {
    const bot = await start('offer');
    const person = await personOpens(bot, 'checkout');
    const res = await alertFires(bot, 'checkout', 'rel-offer-1');
    expect(res.json.opened).toHaveLength(1);
    const dup = res.json.opened[0] as string;
    await waitFor(() => lastDrawn(bot, dup)?.includes(`Possibly related to *${person.id}* (opened by a person just now)`), 'the offer');
    expect(lastDrawn(bot, dup)).toContain(`Merge into ${person.id}`);

    const click = await bot.click(ACTIONS.mergeRelated, dup, 'U0BOB');
    const answer = await waitFor(() => bot.replies(click.responseId)[0], 'answer to the click');
    expect(answer.text).toBe(`${dup} merged into ${person.id} and resolved as a duplicate; both timelines say so.`);
    const merged = await incident(bot, dup);
    expect(merged.status).toBe('resolved');
    expect(merged.timeline.find((e: any) => e.kind === 'merged_into').text).toBe(`Merged into ${person.id} by <@U0BOB>.`);
    const target = await incident(bot, person.id);
    expect(target.status).toBe('investigating');
    expect(target.timeline.filter((e: any) => e.kind === 'merged_from')).toHaveLength(1);
    expect(target.timeline.find((e: any) => e.kind === 'merged_from').text).toMatch(/count here now/);
    expect(target.alerts).toMatchObject({ firing: 1, total: 1 });
    await waitFor(() => lastDrawn(bot, dup)?.includes(`Merged into *${person.id}*`), 'the duplicate shows where it went');

    // The group's next alert counts on the person's incident; nothing new is opened.
    const next = await postAlert(
      bot,
      'alertmanager',
      amWebhook('{}:{alertname="HighErrorRate", service="checkout", fp="rel-offer-1"}', [
        { fingerprint: 'rel-offer-1', labels: { service: 'checkout' }, annotations: { error_rate: '18' } },
        { fingerprint: 'rel-offer-2', labels: { service: 'checkout', instance: 'b' }, annotations: { error_rate: '18' } },
      ]),
    );
    expect(next.json).toMatchObject({ opened: [], incidents: [person.id] });
    expect((await incident(bot, person.id)).alerts).toMatchObject({ firing: 2, total: 2 });

    // Someone else clicks the same (stale) button: told clearly, nothing done twice.
    const again = await bot.click(ACTIONS.mergeRelated, dup, 'U0CAROL');
    const told = await waitFor(() => bot.replies(again.responseId)[0], 'answer to the second click');
    expect(told.text).toContain(`${dup} was already merged into ${person.id}; nothing was done.`);
    expect((await kinds(bot, person.id)).filter((k) => k === 'merged_from')).toHaveLength(1);
    expect((await kinds(bot, dup)).filter((k) => k === 'merged_into')).toHaveLength(1);
  });

  it('the other direction: /incident open after an alert-opened incident of the service is offered the merge', async () => {
    const bot = await start('offer');
    const alerted = (await alertFires(bot, 'search', 'rel-offer-3')).json.opened[0] as string;
    const person = await personOpens(bot, 'search');
    expect(person.told).toContain(`Possibly related to ${alerted} (opened by an alert just now)`);
    await waitFor(() => lastDrawn(bot, person.id)?.includes(`Merge into ${alerted}`), 'the offer on the person’s announcement');
    const click = await bot.click(ACTIONS.mergeRelated, person.id, 'U0ALICE');
    await waitFor(() => bot.replies(click.responseId)[0], 'answer');
    expect((await incident(bot, person.id)).status).toBe('resolved');
    expect(await kinds(bot, alerted)).toContain('merged_from');
    expect((await incident(bot, alerted)).status).toBe('investigating');
  });
});

describe('join mode', () => {
  it('an alert joins the incident a person opened minutes ago: one incident, its timeline says so, its announcement counts the alerts', async () => {
    const bot = await start('join');
    const person = await personOpens(bot, 'checkout');
    const res = await alertFires(bot, 'checkout', 'rel-join-1');
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ opened: [], incidents: [person.id] });
    expect(await allIncidents(bot)).toHaveLength(1);
    const shown = await incident(bot, person.id);
    expect(shown.timeline.find((e: any) => e.kind === 'alerts_joined').text).toMatch(
      /^Alerts joined this incident \(same service; it was opened by a person just now\): Checkout error rate high$/,
    );
    expect(shown.alerts).toMatchObject({ firing: 1, total: 1 });
    // The error rate raised it from the person's P2 (never lowered).
    expect(shown.severity).toBe('P1');
    await waitFor(() => lastDrawn(bot, person.id)?.includes('*Alerts:* 1 firing · 0 resolved'), 'the announcement counts the alert');
  });

  it('a person opening after an alert is still only offered the merge (a person’s incident never joins by itself)', async () => {
    const bot = await start('join');
    const alerted = (await alertFires(bot, 'search', 'rel-join-2')).json.opened[0] as string;
    const person = await personOpens(bot, 'search');
    expect(person.told).toContain(`Possibly related to ${alerted}`);
    expect(await allIncidents(bot)).toHaveLength(2);
  });
});

describe('off mode', () => {
  it('nothing is joined or offered, in either direction', async () => {
    const bot = await start('off');
    const person = await personOpens(bot, 'checkout');
    const res = await alertFires(bot, 'checkout', 'rel-off-1');
    expect(res.json.opened).toHaveLength(1);
    const alerted = res.json.opened[0] as string;
    const later = await personOpens(bot, 'checkout', 'checkout again');
    expect(later.told).not.toContain('Possibly related');
    for (const id of [person.id, alerted, later.id]) {
      await waitFor(() => lastDrawn(bot, id), `announcement of ${id}`);
      expect(lastDrawn(bot, id)).not.toContain('Possibly related');
      expect(await kinds(bot, id)).not.toContain('related_offered');
    }
  });
});
