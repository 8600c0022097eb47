import type { AppHomeRefresher } from '../../../outbound/slack/app-home-refresher';
import type { SlackListeners } from '../slack-router';

/** App Home: the open incidents, most severe first, with their next SLA deadline; kept live while looked at. */
export function registerAppHome(app: SlackListeners, home: AppHomeRefresher): void {
  app.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home') return;
    await home.viewed(event.user);
  });
}
