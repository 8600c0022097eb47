import type { webApi } from '@slack/bolt';
import type { DrillReporter } from '../../../app/ports/drill-reporter';
import type { DrillScorecard } from '../../../domain/drills/drill-scorecard';
import type { Incident } from '../../../domain/incident';
import { drillScorecardMessage } from './views/drill-scorecard-message';

/** Posts a drill's scorecard in the incident's channel (if any) and under its announcement. */
export class SlackDrillReporter implements DrillReporter {
  constructor(private readonly client: webApi.WebClient) {}

  async postScorecard(incident: Incident, scorecard: DrillScorecard): Promise<void> {
    const message = drillScorecardMessage(scorecard);
    const places: { channel: string; thread_ts?: string }[] = [];
    if (incident.channel) places.push({ channel: incident.channel.id });
    if (incident.announcement) places.push({ channel: incident.announcement.channel, thread_ts: incident.announcement.ts });
    for (const place of places) await this.client.chat.postMessage({ ...place, ...message, unfurl_links: false });
  }
}
