import { describeSnapshot } from '../../../../domain/signals/format-signal-value';
import type { DeployWatch } from '../../../../domain/deploys/deploy-watch';
import { relative, slackDate } from './format-time';
import { escapeMrkdwn } from './block-kit';

/** `/incident watch`: one entry per watched deploy (releases come from outside: escaped, never a mention). */
export function deployWatchList(watches: readonly DeployWatch[], now: number): string {
  if (watches.length === 0)
    return 'No deploys are being watched. A deploy starts a watch through `POST /deploys` or a GitHub `deployment_status` webhook.';
  const lines = watches.map((w) => {
    const env = w.environment ? ` (${escapeMrkdwn(w.environment)})` : '';
    const head = `• *${escapeMrkdwn(w.service)}* release \`${escapeMrkdwn(w.release)}\`${env}, previous \`${escapeMrkdwn(w.previousRelease)}\` — ${w.id}`;
    const when = `started ${slackDate(w.startedAt, '{time}')} (${relative(w.startedAt, now)}), ends ${slackDate(w.endsAt, '{time}')} (${relative(w.endsAt, now)})`;
    const state = w.state === 'breached' ? `:rotating_light: breached: ${w.incidentId ?? 'incident opening'}` : 'watching';
    const latest = w.latest ? `latest: ${escapeMrkdwn(describeSnapshot(w.latest))}` : 'latest: not checked yet';
    const baseline = w.baseline ? `, before the deploy: ${escapeMrkdwn(describeSnapshot(w.baseline))}` : '';
    return `${head}\n    ${state}; ${when}\n    ${latest}${baseline}`;
  });
  return [`*Deploys being watched* (${watches.length})`, ...lines].join('\n');
}
