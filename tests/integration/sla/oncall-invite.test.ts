import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pagerDutyEnv, startPagerDutyStandIn, type PagerDutyStandIn, type StandInOnCall } from '../../support/pagerduty-stand-in';
import { startBot, waitFor, type RunningBot } from '../../support/start-bot';
import { openIncident, pause, slaFile } from './sla-harness';

// The level-1 on-call PagerDuty names is found in Slack by email and invited into the incident's channel.
const running: RunningBot[] = [];
let pd: PagerDutyStandIn;
beforeEach(async () => {
  pd = await startPagerDutyStandIn();
});
afterEach(async () => {
  for (const b of running.splice(0)) await b.stop().catch(() => undefined);
  await pd.close();
});

const person = (level: number, id: string, name: string, email: string): StandInOnCall => ({
  escalationPolicyId: 'PPOLICY1',
  level,
  user: { id, name, email },
});
const DANA = person(1, 'PUSER1', 'Dana Oncall', 'Dana@Example.com');
const LEE = person(2, 'PUSER2', 'Lee Secondline', 'lee@example.com');
const ELI = person(1, 'PUSER3', 'Eli Nextshift', 'eli@example.com');

async function start(pagerduty: Record<string, unknown> = {}, channels: Record<string, unknown> = { create_incident_channel: true }) {
  const bot = await startBot({
    file: slaFile({}, { channels, pagerduty: { escalation_policy: 'PPOLICY1', ...pagerduty } }),
    env: pagerDutyEnv(pd),
  });
  running.push(bot);
  // Slack's accounts: found by email, case aside, as Slack does.
  bot.slack.emails.set('dana@example.com', 'U0DANA');
  bot.slack.emails.set('lee@example.com', 'U0LEE');
  bot.slack.emails.set('eli@example.com', 'U0ELI');
  return bot;
}

const members = (bot: RunningBot, channel: string) => [...(bot.slack.members.get(channel) ?? [])];
const invitesOf = (bot: RunningBot, user: string) =>
  bot.slack.callsTo('conversations.invite').filter((c) => String(c.args.users).split(',').includes(user)).length;
const lookups = () => pd.requests.filter((r) => r.path === '/oncalls').length;

/** The announcement as last drawn (posted or updated) shows this text. */
const shown = (bot: RunningBot, text: string) =>
  [...bot.slack.callsTo('chat.postMessage'), ...bot.slack.callsTo('chat.update')].some((c) =>
    JSON.stringify(c.args.blocks ?? '').includes(text),
  ) || undefined;

async function channelOf(bot: RunningBot, id: string): Promise<string> {
  return waitFor(async () => (await bot.bot.store.get(id))?.channel?.id, 'incident channel');
}

describe('the on-call is invited into the incident channel', () => {
  it('the level-1 on-call joins the new channel; level 2 is shown but not invited', { timeout: 15_000 }, async () => {
    pd.setOnCalls([DANA, LEE]);
    const bot = await start();
    const { id } = await openIncident(bot, 'open P1 payments failing');
    const channel = await channelOf(bot, id);
    await waitFor(() => members(bot, channel).includes('U0DANA'), 'on-call invited');
    expect((await bot.api(`/api/incidents/${id}`)).json.oncall.people).toEqual([
      { name: 'Dana Oncall', level: 1, user: 'U0DANA' },
      { name: 'Lee Secondline', level: 2 },
    ]);
    await waitFor(() => (lookups() >= 1 ? true : undefined), 'lookup done');
    await pause(500);
    expect(members(bot, channel)).toEqual(expect.arrayContaining(['U0ALICE', 'U0DANA']));
    expect(members(bot, channel)).not.toContain('U0LEE');
    // Only level 1 is looked up in Slack.
    expect(bot.slack.callsTo('users.lookupByEmail').map((c) => c.args.email)).toEqual(['dana@example.com']);
  });

  it('an on-call found before the channel exists is invited when the channel is set up', { timeout: 15_000 }, async () => {
    pd.setOnCalls([DANA]);
    const bot = await start();
    bot.slack.delay('conversations.create', 3_000); // a slow Slack: the lookup lands first
    // The reply waits for the channel; the incident is read from the store meanwhile.
    await bot.command('open P1 slow channel', { user: 'U0ALICE' });
    const { id } = await waitFor(async () => (await bot.bot.store.listOpen())[0], 'incident opened');
    await waitFor(async () => (await bot.bot.store.get(id))?.oncall?.people[0]?.user, 'on-call account found');
    expect((await bot.bot.store.get(id))!.channel ?? null).toBeNull();
    const channel = await channelOf(bot, id);
    await waitFor(() => members(bot, channel).includes('U0DANA'), 'on-call invited at set-up', 6_000);
  });

  it('a shift change invites the new on-call; someone who left is not pulled back at the next refresh', {
    timeout: 20_000,
  }, async () => {
    pd.setOnCalls([DANA]);
    const bot = await start({ oncall_refresh: '1s' });
    const { id } = await openIncident(bot, 'open P2 long running incident');
    const channel = await channelOf(bot, id);
    await waitFor(() => members(bot, channel).includes('U0DANA'), 'first on-call invited');
    await pause(300); // the channel's own set-up is done
    bot.slack.members.get(channel)!.delete('U0DANA'); // Dana leaves the channel
    const danaInvites = invitesOf(bot, 'U0DANA');

    pd.setOnCalls([ELI]);
    await waitFor(() => members(bot, channel).includes('U0ELI'), 'new on-call invited', 5_000);
    const eliInvites = invitesOf(bot, 'U0ELI');
    const before = lookups();
    await waitFor(() => (lookups() >= before + 2 ? true : undefined), 'two more lookups', 5_000);
    await pause(300);
    expect(members(bot, channel)).toContain('U0ELI');
    expect(members(bot, channel)).not.toContain('U0DANA');
    // Neither is invited again by the refreshes: the lookup invites only who is new since the last one.
    expect(invitesOf(bot, 'U0DANA')).toBe(danaInvites);
    expect(invitesOf(bot, 'U0ELI')).toBe(eliInvites);
    expect(eliInvites).toBe(1);
    // The email's account is kept between refreshes: one Slack lookup per person.
    expect(bot.slack.callsTo('users.lookupByEmail').map((c) => c.args.email)).toEqual(['dana@example.com', 'eli@example.com']);
  });

  it('no Slack account has the email: the on-call is shown, nobody is invited, the incident goes on', { timeout: 15_000 }, async () => {
    pd.setOnCalls([person(1, 'PUSER9', 'Nora Contractor', 'nora@contractor.example')]);
    const bot = await start({ oncall_refresh: '1s' });
    const { id } = await openIncident(bot, 'open P1 contractor on call');
    const channel = await channelOf(bot, id);
    await waitFor(() => shown(bot, 'Nora Contractor (L1)'), 'on-call shown');
    const before = lookups();
    await waitFor(() => (lookups() >= before + 2 ? true : undefined), 'two more lookups', 5_000);
    expect((await bot.api(`/api/incidents/${id}`)).json.oncall.people).toEqual([{ name: 'Nora Contractor', level: 1 }]);
    expect(members(bot, channel)).toEqual(['U0ALICE']);
    // "Nobody has it" is remembered for a while: not asked again every refresh.
    expect(bot.slack.callsTo('users.lookupByEmail')).toHaveLength(1);
  });

  it('Slack refuses the lookup (the app lacks users:read.email): not invited, tried again at the next refresh', {
    timeout: 15_000,
  }, async () => {
    pd.setOnCalls([DANA]);
    const bot = await start({ oncall_refresh: '1s' });
    bot.slack.fail('users.lookupByEmail', 'missing_scope');
    const { id } = await openIncident(bot, 'open P1 scope missing');
    const channel = await channelOf(bot, id);
    // The first answer was refused; the refresh a second later finds Dana and invites her.
    await waitFor(() => members(bot, channel).includes('U0DANA'), 'invited after the refusal', 5_000);
    expect(bot.slack.callsTo('users.lookupByEmail').length).toBeGreaterThanOrEqual(2);
    const metrics = await (await fetch(`${bot.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/slack_api_errors_total\{[^}]*method="users.lookupByEmail"[^}]*\} 1/);
  });

  it('invite_oncall: false looks nobody up and invites nobody', { timeout: 15_000 }, async () => {
    pd.setOnCalls([DANA]);
    const bot = await start({ invite_oncall: false });
    const { id } = await openIncident(bot, 'open P1 quiet channel');
    const channel = await channelOf(bot, id);
    await waitFor(() => shown(bot, 'Dana Oncall (L1)'), 'on-call shown');
    await pause(500);
    expect(bot.slack.callsTo('users.lookupByEmail')).toEqual([]);
    expect(members(bot, channel)).toEqual(['U0ALICE']);
  });

  it('an incident without its own channel invites nobody', { timeout: 15_000 }, async () => {
    pd.setOnCalls([DANA]);
    const bot = await start({}, { create_incident_channel: false });
    const { id } = await openIncident(bot, 'open P1 announcement only');
    await waitFor(async () => (await bot.api(`/api/incidents/${id}`)).json.oncall?.people?.[0]?.user, 'on-call account found');
    await pause(300);
    expect(bot.slack.callsTo('conversations.invite')).toEqual([]);
    expect((await bot.bot.store.get(id))!.channel ?? null).toBeNull();
  });
});
