import { createServer, type Server } from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

/** One request as the stand-in received it. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** What the stand-in answered (0 when it reset or hung up). */
  status: number;
}

/** An alert as PagerDuty would hold it, keyed by dedup_key. */
export interface StandInAlert {
  dedupKey: string;
  routingKey: string;
  status: 'triggered' | 'acknowledged' | 'resolved';
  summary: string;
  severity: string;
  /** How many times a trigger opened it (a retried trigger with the same dedup_key does not). */
  opened: number;
  events: string[];
}

export interface StandInOnCall {
  escalationPolicyId: string;
  level: number;
  user: { id: string; name: string; email: string };
}

/** reset: connections are destroyed on arrival; hang: accepted and never answered. */
export type DownMode = 'reset' | 'hang';

export interface PagerDutyStandIn {
  /** https://127.0.0.1:<port>, for both the Events and the REST base URL. */
  url: string;
  /** The self-signed certificate (PEM) the client must trust through its CA option. */
  ca: string;
  /** The REST token it accepts. */
  token: string;
  requests: RecordedRequest[];
  alerts: Map<string, StandInAlert>;
  /** The next n requests answer `status` (default 500) with a PagerDuty-shaped error body. */
  failNext(n: number, status?: number): void;
  down(mode: DownMode | false): void;
  setOnCalls(oncalls: StandInOnCall[]): void;
  close(): Promise<void>;
}

const EVENT_ACTIONS = ['trigger', 'acknowledge', 'resolve'];
const SEVERITIES = ['critical', 'error', 'warning', 'info'];

/** A local HTTPS server answering like PagerDuty Events v2 (/v2/enqueue) and REST (/oncalls), per the vendor specs. */
export async function startPagerDutyStandIn(options: { token?: string } = {}): Promise<PagerDutyStandIn> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  const token = options.token ?? 'standin-rest-token';
  const requests: RecordedRequest[] = [];
  const alerts = new Map<string, StandInAlert>();
  let oncalls: StandInOnCall[] = [];
  let faults: { left: number; status: number } = { left: 0, status: 500 };
  let downMode: DownMode | false = false;
  const sockets = new Set<Socket>();

  const send = (res: ServerResponse, record: RecordedRequest, status: number, body: unknown) => {
    record.status = status;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const enqueue = (res: ServerResponse, record: RecordedRequest) => {
    const event = record.body as Record<string, any> | null;
    const errors: string[] = [];
    if (!event || typeof event !== 'object') errors.push('JSON parse error');
    else {
      if (typeof event.routing_key !== 'string' || event.routing_key.length === 0) errors.push("'routing_key' is missing or blank");
      if (!EVENT_ACTIONS.includes(event.event_action)) errors.push("'event_action' is invalid");
      if (event.event_action === 'trigger') {
        if (!event.payload?.summary) errors.push("'payload.summary' is missing or blank");
        if (!event.payload?.source) errors.push("'payload.source' is missing or blank");
        if (!SEVERITIES.includes(event.payload?.severity)) errors.push("'payload.severity' is invalid");
      } else if (!event.dedup_key) errors.push("'dedup_key' is required for acknowledge and resolve");
    }
    if (errors.length) return send(res, record, 400, { status: 'invalid event', message: 'Event object is invalid', errors });
    const dedupKey: string = event!.dedup_key ?? randomUUID().replaceAll('-', '');
    const existing = alerts.get(dedupKey);
    if (event!.event_action === 'trigger') {
      if (!existing || existing.status === 'resolved') {
        alerts.set(dedupKey, {
          dedupKey,
          routingKey: event!.routing_key,
          status: 'triggered',
          summary: event!.payload.summary,
          severity: event!.payload.severity,
          opened: (existing?.opened ?? 0) + 1,
          events: [...(existing?.events ?? []), 'trigger'],
        });
      } else existing.events.push('trigger');
    } else if (existing && existing.status !== 'resolved') {
      // Like PagerDuty: acknowledge/resolve of an unknown or resolved alert is accepted and ignored.
      existing.status = event!.event_action === 'acknowledge' ? 'acknowledged' : 'resolved';
      existing.events.push(event!.event_action);
    }
    send(res, record, 202, { status: 'success', message: 'Event processed', dedup_key: dedupKey });
  };

  const listOnCalls = (req: IncomingMessage, res: ServerResponse, record: RecordedRequest) => {
    if (req.headers.authorization !== `Token token=${token}`) {
      return send(res, record, 401, { error: { message: 'Unauthorized', code: 2006 } });
    }
    const policies = record.query.getAll('escalation_policy_ids[]');
    const withUsers = record.query.getAll('include[]').includes('users');
    const matching = oncalls.filter((o) => policies.length === 0 || policies.includes(o.escalationPolicyId));
    const self = `${server.address() ? `https://127.0.0.1:${(server.address() as AddressInfo).port}` : ''}`;
    send(res, record, 200, {
      oncalls: matching.map((o) => ({
        escalation_policy: {
          id: o.escalationPolicyId,
          type: 'escalation_policy_reference',
          summary: 'Escalation Policy',
          self: `${self}/escalation_policies/${o.escalationPolicyId}`,
        },
        user: withUsers
          ? {
              id: o.user.id,
              type: 'user',
              summary: o.user.name,
              name: o.user.name,
              email: o.user.email,
              self: `${self}/users/${o.user.id}`,
            }
          : { id: o.user.id, type: 'user_reference', summary: o.user.name, self: `${self}/users/${o.user.id}` },
        schedule: null,
        escalation_level: o.level,
        start: null,
        end: null,
      })),
      limit: 25,
      offset: 0,
      more: false,
      total: null,
    });
  };

  const server: Server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        /* recorded as text; enqueue answers 400 */
      }
      const record: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        status: 0,
      };
      requests.push(record);
      if (downMode === 'hang') return;
      if (faults.left > 0) {
        faults.left--;
        return send(res, record, faults.status, { status: 'error', message: `scripted fault ${faults.status}`, errors: ['stand-in'] });
      }
      if (req.method === 'POST' && url.pathname === '/v2/enqueue') return enqueue(res, record);
      if (req.method === 'GET' && url.pathname === '/oncalls') return listOnCalls(req, res, record);
      send(res, record, 404, { error: { message: 'Not Found', code: 2100 } });
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // Reset mode: the TLS handshake never completes, like a host whose service died.
  server.on('connection', (socket: Socket) => {
    if (downMode === 'reset') socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `https://127.0.0.1:${port}`,
    ca: pems.cert,
    token,
    requests,
    alerts,
    failNext(n, status = 500) {
      faults = { left: n, status };
    },
    down(mode) {
      downMode = mode;
    },
    setOnCalls(list) {
      oncalls = list;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The bot's environment for this stand-in: pages and on-call lookups go to it, trusting its CA (written to a temp file). */
export function pagerDutyEnv(pd: PagerDutyStandIn): Record<string, string> {
  const caFile = join(mkdtempSync(join(tmpdir(), 'pd-ca-')), 'ca.pem');
  writeFileSync(caFile, pd.ca);
  return {
    PAGERDUTY_ROUTING_KEY: 'R0UTINGKEY',
    PAGERDUTY_TOKEN: pd.token,
    PAGERDUTY_EVENTS_URL: pd.url,
    PAGERDUTY_API_URL: pd.url,
    PAGERDUTY_CA_FILE: caFile,
  };
}
