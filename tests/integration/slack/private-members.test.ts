import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../../src/domain/incident';
import { deliverEvent } from '../../support/slack-requests';
import { startBot, waitFor, type RunningBot } from '../../support/start-bot';

// The private incident's title: what a person outside it must not see, and one inside it must.
const TITLE = 'Payroll export readable by contractors';

async function ask(bot: RunningBot, text: string, user: string): Promise<Record<string, any>> {
  const { responseId } = await bot.command(text, { user });
  return waitFor(() => bot.replies(responseId)[0], `answer to ${text}`);
}

const idIn = (text: string) => /INC-\d{8}-\d{3}/.exec(text)![0];

const seesTitleInList = async (bot: RunningBot, id: string, user: string) => {
  const list = JSON.stringify((await ask(bot, 'list', user)).blocks);
  expect(list).toContain(`*${id}*`);
  return list.includes(TITLE);
};
const seesTitleInShow = async (bot: RunningBot, id: string, user: string) =>
  JSON.stringify(await ask(bot, `show ${id}`, user)).includes(TITLE);

/** A signed Events API delivery, as Slack sends it; the same `eventId` with `retryNum` is Slack's retry. */
const deliver = (bot: RunningBot, event: Record<string, unknown>, options: { eventId?: string; retryNum?: number } = {}) =>
  deliverEvent(bot.baseUrl, event, options);

/** Someone is added to the channel in Slack (by hand, by `inviter`): the stand-in's members and the event. */
function joined(bot: RunningBot, channel: string, user: string, options: { eventId?: string; retryNum?: number; inviter?: string } = {}) {
  const members = bot.slack.members.get(channel) ?? new Set<string>();
  members.add(user);
  bot.slack.members.set(channel, members);
  const { inviter, ...delivery } = options;
  return deliver(
    bot,
    {
      type: 'member_joined_channel',
      user,
      channel,
      channel_type: 'G',
      team: 'T0TEAM',
      ...(inviter ? { inviter } : {}),
      event_ts: `${Date.now() / 1000}`,
    },
    delivery,
  );
}

function left(bot: RunningBot, channel: string, user: string, options: { eventId?: string; retryNum?: number } = {}) {
  bot.slack.members.get(channel)?.delete(user);
  return deliver(
    bot,
    { type: 'member_left_channel', user, channel, channel_type: 'G', team: 'T0TEAM', event_ts: `${Date.now() / 1000}` },
    options,
  );
}

const openHome = (bot: RunningBot, user: string) =>
  deliver(bot, { type: 'app_home_opened', user, channel: 'D0', tab: 'home', event_ts: `${Date.now() / 1000}` });

/** The latest App Home drawn for this person that shows the incident. */
const latestHome = (bot: RunningBot, user: string, id: string) =>
  bot.slack
    .callsTo('views.publish')
    .filter((c) => c.args.user_id === user && JSON.stringify(c.args.view).includes(id))
    .at(-1);

describe("a private incident's people follow its private channel", () => {
  let bot: RunningBot;
  let incident: Incident;

  const openPrivate = async (title: string): Promise<Incident> => {
    const id = idIn((await ask(bot, `open --private P1 ${title}`, 'U0OPENER')).text);
    return waitFor(async () => {
      const stored = await bot.bot.store.get(id);
      return stored?.channel && stored.announcement ? stored : null;
    }, 'the private channel');
  };
  /** The incident's timeline entries saying this person joined or left its channel, as `/incident show` lists them to a member. */
  const membershipLines = async (id: string, user: string) => {
    const show = JSON.stringify(await ask(bot, `show ${id}`, 'U0OPENER'));
    return show.match(new RegExp(`<@${user}> (joined|left) the private channel`, 'g')) ?? [];
  };

  beforeAll(async () => {
    bot = await startBot({
      file: {
        services: [{ name: 'payroll-api', owners: ['U0OWNER'] }],
        app_home: { refresh_every: '200ms', viewer_ttl: '1m' },
        // A public incident gets its own (public) channel too, for the events that must change nothing.
        channels: { create_incident_channel: true },
      },
    });
    incident = await openPrivate(TITLE);
  }, 30_000);
  afterAll(async () => {
    await bot?.stop();
  });

  it('a person added to the private channel by hand sees the title in /incident list, /incident show and App Home', {
    timeout: 20_000,
  }, async () => {
    const { id } = incident;
    const channel = incident.channel!.id;
    expect(await seesTitleInList(bot, id, 'U0HANDPICKED')).toBe(false);
    expect(await seesTitleInShow(bot, id, 'U0HANDPICKED')).toBe(false);

    expect((await joined(bot, channel, 'U0HANDPICKED', { inviter: 'U0OPENER' })).status).toBe(200);
    await waitFor(() => seesTitleInList(bot, id, 'U0HANDPICKED'), 'the title in their /incident list');
    expect(await seesTitleInShow(bot, id, 'U0HANDPICKED')).toBe(true);
    await openHome(bot, 'U0HANDPICKED');
    await waitFor(
      () => JSON.stringify(latestHome(bot, 'U0HANDPICKED', id)?.args.view ?? '').includes(TITLE),
      'the title in their App Home',
    );
    // Who added them is on the timeline, once.
    expect(await membershipLines(id, 'U0HANDPICKED')).toEqual(['<@U0HANDPICKED> joined the private channel']);
    expect(bot.slack.members.get(channel)?.has('U0HANDPICKED')).toBe(true);
    // Others outside still see only "Private incident".
    expect(await seesTitleInList(bot, id, 'U0OUTSIDER')).toBe(false);
  });

  it('after they leave the private channel they see "Private incident" again, even holding a role', { timeout: 20_000 }, async () => {
    const { id } = incident;
    const channel = incident.channel!.id;
    expect((await ask(bot, `role scribe ${id} <@U0HANDPICKED>`, 'U0OPENER')).text).not.toContain(':warning:');
    await waitFor(async () => (await bot.bot.store.get(id))?.roles?.scribe === 'U0HANDPICKED', 'the scribe role');

    expect((await left(bot, channel, 'U0HANDPICKED')).status).toBe(200);
    await waitFor(async () => !(await seesTitleInList(bot, id, 'U0HANDPICKED')), 'their /incident list without the title');
    const show = await ask(bot, `show ${id}`, 'U0HANDPICKED');
    expect(show.text).toContain(`${id} is a private incident`);
    expect(JSON.stringify(show)).not.toContain(TITLE);
    await openHome(bot, 'U0HANDPICKED');
    await waitFor(() => {
      const view = JSON.stringify(latestHome(bot, 'U0HANDPICKED', id)?.args.view ?? '');
      return view.includes('Private incident') && !view.includes(TITLE);
    }, 'their App Home without the title');
    // The role stays theirs; only the title is hidden from them outside the channel.
    expect((await bot.bot.store.get(id))?.roles?.scribe).toBe('U0HANDPICKED');
    expect(await membershipLines(id, 'U0HANDPICKED')).toEqual([
      '<@U0HANDPICKED> joined the private channel',
      '<@U0HANDPICKED> left the private channel',
    ]);

    // Invited back, they are in it again.
    await joined(bot, channel, 'U0HANDPICKED', { inviter: 'U0OPENER' });
    await waitFor(() => seesTitleInList(bot, id, 'U0HANDPICKED'), 'the title back in their /incident list');
  });

  it("events for a public incident's channel, an unknown channel or the bot itself are answered 200 and change nothing", {
    timeout: 20_000,
  }, async () => {
    const publicId = idIn((await ask(bot, 'open P3 checkout slow', 'U0OPENER')).text);
    const publicIncident = await waitFor(async () => {
      const stored = await bot.bot.store.get(publicId);
      return stored?.channel ? stored : null;
    }, 'the public incident channel');
    const publicChannel = publicIncident.channel!.id;
    const privateChannel = incident.channel!.id;

    expect((await joined(bot, publicChannel, 'U0PASSERBY')).status).toBe(200);
    expect((await left(bot, publicChannel, 'U0OPENER')).status).toBe(200);
    expect((await joined(bot, 'C0NOBODYKNOWS', 'U0PASSERBY')).status).toBe(200);
    expect((await left(bot, 'C0NOBODYKNOWS', 'U0PASSERBY')).status).toBe(200);
    // The bot joining (or leaving) its own private channel is no one joining.
    expect((await left(bot, privateChannel, 'U0BOT')).status).toBe(200);
    // Then someone who counts: once they are in, the events sent before were handled too.
    await joined(bot, privateChannel, 'U0MARKER');
    await waitFor(() => seesTitleInList(bot, incident.id, 'U0MARKER'), 'the marker let in');

    const api = await bot.api(`/api/incidents/${publicId}`);
    expect(api.json).toMatchObject({ private: false, title: 'checkout slow' });
    expect(JSON.stringify(api.json.timeline)).not.toMatch(/joined|left the/);
    expect(await seesTitleInList(bot, incident.id, 'U0PASSERBY')).toBe(false);
    expect(await membershipLines(incident.id, 'U0BOT')).toEqual([]);
  });

  it('a retried delivery (same event_id, X-Slack-Retry-Num) is applied once', { timeout: 20_000 }, async () => {
    const own = await openPrivate('Salary table copied to a laptop');
    const channel = own.channel!.id;
    const eventId = `EvRetried${Date.now()}`;

    await joined(bot, channel, 'U0RETRIED', { eventId, inviter: 'U0OPENER' });
    await waitFor(async () => (await membershipLines(own.id, 'U0RETRIED')).length === 1, 'the join applied');
    await left(bot, channel, 'U0RETRIED');
    await waitFor(async () => (await membershipLines(own.id, 'U0RETRIED')).length === 2, 'the leave applied');

    // Slack did not hear the first answer in time and sends the join again, after the person left.
    expect((await joined(bot, channel, 'U0RETRIED', { eventId, retryNum: 1, inviter: 'U0OPENER' })).status).toBe(200);
    bot.slack.members.get(channel)?.delete('U0RETRIED'); // in Slack they are still out
    await joined(bot, channel, 'U0MARKER2');
    await waitFor(async () => (await membershipLines(own.id, 'U0MARKER2')).length === 1, 'the marker applied');

    expect(await membershipLines(own.id, 'U0RETRIED')).toEqual([
      '<@U0RETRIED> joined the private channel',
      '<@U0RETRIED> left the private channel',
    ]);
    expect(await seesTitleInList(bot, own.id, 'U0RETRIED')).toBe(false);
  });
});
