import { afterAll, describe, expect, it } from 'vitest';
import { deliverEvent } from '../../support/slack-requests';
import { startBot, waitFor, type RunningBot } from '../../support/start-bot';

const running: RunningBot[] = [];
afterAll(async () => {
  for (const b of running) await b.stop().catch(() => undefined);
});
const start = async (appHome: Record<string, string>) => {
  const bot = await startBot({ file: { services: [{ name: 'checkout' }], app_home: appHome } });
  running.push(bot);
  return bot;
};

const openHome = (bot: RunningBot, user: string) =>
  deliverEvent(bot.baseUrl, { type: 'app_home_opened', user, channel: 'D0', tab: 'home' });
const publishesTo = (bot: RunningBot, user: string) => bot.slack.callsTo('views.publish').filter((c) => c.args.user_id === user);
const shows = (call: { args: Record<string, any> } | undefined, text: string) => JSON.stringify(call?.args.view ?? '').includes(text);

describe('App Home stays live while someone looks at it', () => {
  it('an incident opened or changed after the tab was opened shows up without reopening it', { timeout: 15_000 }, async () => {
    const bot = await start({ refresh_every: '300ms', viewer_ttl: '1m' });
    expect((await openHome(bot, 'U0VIEWER')).status).toBe(200);
    const first = await waitFor(() => publishesTo(bot, 'U0VIEWER')[0], 'published on open');
    expect(shows(first, 'No open incidents')).toBe(true);

    await bot.command('open P1 payments failing', { user: 'U0ALICE' });
    await waitFor(() => publishesTo(bot, 'U0VIEWER').find((c) => shows(c, 'payments failing')), 'republished with the new incident', 4_000);
    const id = /INC-\d{8}-\d{3}/.exec(JSON.stringify(publishesTo(bot, 'U0VIEWER').at(-1)!.args.view))![0];
    await bot.command(`commander ${id} <@U0BOB|bob>`, { user: 'U0BOB' });
    await waitFor(() => publishesTo(bot, 'U0VIEWER').find((c) => shows(c, 'commander <@U0BOB>')), 'republished with the commander', 4_000);
    // Nobody else opened it: nobody else is published to.
    expect(bot.slack.callsTo('views.publish').every((c) => c.args.user_id === 'U0VIEWER')).toBe(true);
  });

  it('coalesces a burst of changes into one pass per interval, stops for viewers gone longer than viewer_ttl, and survives Slack refusing', {
    timeout: 15_000,
  }, async () => {
    const bot = await start({ refresh_every: '1s', viewer_ttl: '5s' });
    await openHome(bot, 'U0VIEWER');
    await waitFor(() => publishesTo(bot, 'U0VIEWER')[0], 'published on open');
    const before = publishesTo(bot, 'U0VIEWER').length;
    const burstStart = Date.now();
    for (let i = 0; i < 20; i++) await bot.command(`open P3 burst ${i}`, { user: 'U0ALICE' });
    await waitFor(() => publishesTo(bot, 'U0VIEWER').find((c) => shows(c, 'burst 19')), 'burst shown', 6_000);
    // Twenty changes: one pass at once, then at most one per 1 s interval (plus one the periodic
    // tick may have started), not one per change.
    const passes = publishesTo(bot, 'U0VIEWER').length - before;
    expect(passes).toBeLessThanOrEqual(2 + Math.ceil((Date.now() - burstStart) / 1_000));
    expect(passes).toBeLessThan(20);

    // Opening the tab again keeps the viewer for another 5 s.
    const seen = publishesTo(bot, 'U0VIEWER').length;
    await openHome(bot, 'U0VIEWER');
    await waitFor(() => publishesTo(bot, 'U0VIEWER')[seen], 'published on the second open');
    bot.slack.fail('views.publish', 'not_authed', 1);
    await bot.command('open P3 while Slack refuses', { user: 'U0ALICE' });
    await waitFor(() => (bot.logs.join('').includes('App Home could not be published') ? true : undefined), 'refusal logged', 4_000);
    // P1: App Home shows the 20 most urgent, and 22 P3s are open by now.
    await bot.command('open P1 after the refusal', { user: 'U0ALICE' });
    await waitFor(
      () => publishesTo(bot, 'U0VIEWER').find((c) => shows(c, 'after the refusal')),
      'published again after the refusal',
      4_000,
    );

    await new Promise((r) => setTimeout(r, 5_500)); // the viewer's 5 s are over
    const settled = publishesTo(bot, 'U0VIEWER').length;
    await bot.command('open P3 nobody is looking', { user: 'U0ALICE' });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(publishesTo(bot, 'U0VIEWER').length).toBe(settled);
  });
});
