import type { webApi } from '@slack/bolt';
import type { ChartPosted, ChartPoster, ChartUpload } from '../../../app/ports/chart-poster';
import type { Incident } from '../../../domain/incident';
import type { Metrics } from '../../../metrics';
import { describeSlackError } from './slack-errors';
import { escapeMrkdwn } from './views/block-kit';

/**
 * Uploads charts with `files.uploadV2` (files.getUploadURLExternal, the bytes POSTed to the
 * upload URL, files.completeUploadExternal): into the incident's channel when it has one,
 * else as a reply under its announcement. Through the client that never retries by itself:
 * a refused or failed upload is reported once, never repeated (no retry storm on a 5xx).
 */
export class SlackChartPoster implements ChartPoster {
  constructor(
    private readonly client: webApi.WebClient,
    private readonly incidentChannel: string,
    private readonly metrics: Metrics,
  ) {}

  async post(incident: Incident, upload: ChartUpload): Promise<ChartPosted> {
    // A private incident's chart is its detail: only in its private channel, never in #incident-response.
    if (incident.private && !incident.channel)
      return { ok: false, code: 'private_without_channel', reason: 'a private incident without its channel gets no chart' };
    const target = incident.channel
      ? { channel_id: incident.channel.id }
      : incident.announcement
        ? { channel_id: incident.announcement.channel, thread_ts: incident.announcement.ts }
        : { channel_id: this.incidentChannel };
    try {
      const result = (await this.client.files.uploadV2({
        ...target,
        file: Buffer.from(upload.png),
        filename: upload.filename,
        title: upload.title,
        alt_text: upload.altText,
        // The service name comes from alerts: escaped, so it can never notify anyone.
        initial_comment: `:chart_with_upwards_trend: ${escapeMrkdwn(upload.caption)}`,
      })) as { files?: { files?: { id?: string }[] }[] };
      const fileId = result.files?.[0]?.files?.[0]?.id ?? null;
      return { ok: true, where: 'thread_ts' in target ? `${target.channel_id} thread ${target.thread_ts}` : target.channel_id, fileId };
    } catch (error) {
      const failure = describeSlackError(error);
      this.metrics.slackErrors.inc({ method: 'files.uploadV2', error: failure.code });
      const reason = failure.userMessage.includes(failure.code) ? failure.userMessage : `${failure.userMessage} (${failure.code})`;
      return { ok: false, code: failure.code, reason };
    }
  }
}
