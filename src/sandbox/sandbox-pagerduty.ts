import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { generate } from 'selfsigned';

type Json = Record<string, any>;

export interface PagerDutyPage {
  dedupKey: string;
  summary: string;
  severity: string;
  status: 'triggered' | 'acknowledged' | 'resolved';
  events: { action: string; at: string }[];
}

const ACTIONS = ['trigger', 'acknowledge', 'resolve'];
const SEVERITIES = ['critical', 'error', 'warning', 'info'];

/**
 * PagerDuty Events v2 (/v2/enqueue) and the REST on-call lookup (/oncalls), over HTTPS as
 * the bot's pdjs client requires, with a self-signed certificate the bot trusts through
 * PAGERDUTY_CA_FILE. The pages it took are shown on the sandbox's PagerDuty tab.
 */
export class SandboxPagerDuty {
  readonly pages = new Map<string, PagerDutyPage>();
  url = '';
  ca = '';
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly token: string,
    private readonly onCall: { policy: string; userName: string; email: string },
    private readonly onChange: () => void,
  ) {}

  async start(): Promise<void> {
    const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      notAfterDate: new Date(Date.now() + 7 * 86_400_000),
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
      ],
    });
    this.ca = pems.cert;
    this.server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'https://127.0.0.1');
        let body: Json | null = null;
        try {
          body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : null;
        } catch {
          body = null;
        }
        const [status, answer] =
          req.method === 'POST' && url.pathname === '/v2/enqueue'
            ? this.enqueue(body)
            : req.method === 'GET' && url.pathname === '/oncalls'
              ? this.oncalls(req.headers.authorization)
              : [404, { error: { message: 'Not Found', code: 2100 } }];
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer));
      });
    });
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  snapshot(): Json {
    return { pages: [...this.pages.values()].reverse(), onCall: this.onCall };
  }

  private enqueue(event: Json | null): [number, Json] {
    const errors: string[] = [];
    if (!event) errors.push('JSON parse error');
    else {
      if (!event.routing_key) errors.push("'routing_key' is missing or blank");
      if (!ACTIONS.includes(event.event_action)) errors.push("'event_action' is invalid");
      if (
        event.event_action === 'trigger' &&
        (!event.payload?.summary || !event.payload?.source || !SEVERITIES.includes(event.payload?.severity))
      )
        errors.push("'payload' needs summary, source and a valid severity");
      if (event.event_action !== 'trigger' && !event.dedup_key) errors.push("'dedup_key' is required for acknowledge and resolve");
    }
    if (errors.length) return [400, { status: 'invalid event', message: 'Event object is invalid', errors }];
    const key: string = event!.dedup_key ?? `sandbox-${this.pages.size + 1}`;
    const at = new Date().toISOString();
    const page = this.pages.get(key);
    if (event!.event_action === 'trigger' && (!page || page.status === 'resolved')) {
      this.pages.set(key, {
        dedupKey: key,
        summary: event!.payload.summary,
        severity: event!.payload.severity,
        status: 'triggered',
        events: [...(page?.events ?? []), { action: 'trigger', at }],
      });
    } else if (page) {
      page.events.push({ action: event!.event_action, at });
      if (event!.event_action !== 'trigger') page.status = event!.event_action === 'acknowledge' ? 'acknowledged' : 'resolved';
    }
    this.onChange();
    return [202, { status: 'success', message: 'Event processed', dedup_key: key }];
  }

  private oncalls(authorization: string | undefined): [number, Json] {
    if (authorization !== `Token token=${this.token}`) return [401, { error: { message: 'Unauthorized', code: 2006 } }];
    const { policy, userName, email } = this.onCall;
    return [
      200,
      {
        oncalls: [
          {
            escalation_policy: { id: policy, type: 'escalation_policy_reference', summary: 'Sandbox on-call' },
            user: { id: 'PUSER01', type: 'user', summary: userName, name: userName, email },
            escalation_level: 1,
            schedule: null,
            start: null,
            end: null,
          },
        ],
        limit: 25,
        offset: 0,
        more: false,
        total: null,
      },
    ];
  }
}
