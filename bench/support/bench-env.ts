import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { blockActionPayload, commandBody, interactionBody, slackSignature } from '../../tests/support/slack-requests';
import { deleteKeys } from '../../tests/support/test-redis';

export { ALERT_TOKEN, REDIS_URL, botEnv } from '../../tests/support/bot-env';
import { REDIS_URL } from '../../tests/support/bot-env';

export function benchPrefix(name: string): string {
  return `ibbench:${name}:${randomUUID().slice(0, 8)}:`;
}

export async function cleanupPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  await deleteKeys(redis, prefix);
  redis.disconnect();
}

/** A signed slash command as autocannon request options (the signature holds for 5 minutes). */
export function signedCommand(
  text: string,
  responseUrl: string,
): { method: 'POST'; path: string; headers: Record<string, string>; body: string } {
  const body = commandBody({ text, response_url: responseUrl, trigger_id: 'bench-trigger' });
  return signed(body);
}

export function signedClick(actionId: string, value: string, responseUrl: string) {
  return signed(interactionBody(blockActionPayload({ actionId, value, responseUrl })));
}

function signed(body: string) {
  const ts = Math.floor(Date.now() / 1000);
  return {
    method: 'POST' as const,
    path: '/slack/events',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': slackSignature(body, ts),
    },
    body,
  };
}

/** An Alertmanager v4 webhook body: `count` alerts of `group`, alert ids from `first`. */
export function alertmanagerBody(group: number, first: number, count: number, status: 'firing' | 'resolved' = 'firing'): string {
  const alerts = Array.from({ length: count }, (_, i) => ({
    status,
    labels: { alertname: `HighErrorRate${group}`, service: 'checkout', instance: `pod-${first + i}`, severity: 'warning' },
    annotations: { summary: `errors on group ${group}`, error_rate: '12' },
    startsAt: '2026-11-21T10:00:00Z',
    endsAt: status === 'resolved' ? '2026-11-21T10:05:00Z' : '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus.local/graph',
    fingerprint: `fp-${group}-${first + i}`,
  }));
  return JSON.stringify({
    version: '4',
    groupKey: `{}:{alertname="HighErrorRate${group}"}`,
    truncatedAlerts: 0,
    status,
    receiver: 'incident-bot',
    groupLabels: { alertname: `HighErrorRate${group}` },
    commonLabels: { service: 'checkout' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.local',
    alerts,
  });
}
