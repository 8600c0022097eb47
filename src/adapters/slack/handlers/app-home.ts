import type { App } from '@slack/bolt';
import { appHomeView } from '../views/incident-list-view';
import type { SlackDeps } from './slack-deps';
import type { SlackListeners } from '../slack-router';

/** App Home: the open incidents, most severe first, with their next SLA deadline. */
export function registerAppHome(app: SlackListeners, deps: SlackDeps): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    const open = await deps.service.store.listOpen();
    const now = deps.service.now();
    await client.views.publish({ user_id: event.user, view: appHomeView(open.map((incident) => ({ incident, sla: deps.service.sla(incident) })), now) as never });
  });
}
