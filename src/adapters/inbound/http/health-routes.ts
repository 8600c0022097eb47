import type { CustomRoute } from '@slack/bolt';
import type { Metrics } from '../../../metrics';
import { sendJson } from './http-helpers';

/** Liveness, readiness (Redis must answer within a second) and Prometheus metrics. */
export function healthRoutes(redis: { ping(): Promise<string> }, metrics: Metrics): CustomRoute[] {
  return [
    { path: '/healthz', method: ['GET'], handler: (_req, res) => sendJson(res, 200, { status: 'ok' }) },
    {
      path: '/readyz',
      method: ['GET'],
      handler: async (_req, res) => {
        try {
          const pong = await Promise.race([
            redis.ping(),
            new Promise<never>((_, reject) => setTimeout(() => reject(new Error('Redis did not answer within 1 s')), 1000).unref()),
          ]);
          sendJson(res, 200, { status: 'ready', redis: pong });
        } catch (error) {
          sendJson(res, 503, { status: 'not ready', redis: (error as Error).message });
        }
      },
    },
    {
      path: '/metrics',
      method: ['GET'],
      handler: async (_req, res) => {
        const body = await metrics.registry.metrics();
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(body);
      },
    },
  ];
}
