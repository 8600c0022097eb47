import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { BotDeliveries, ClickTarget } from './slack-emulator/bot-deliveries';
import type { SlackWebApi } from './slack-emulator/slack-web-api';
import type { Workspace } from './slack-emulator/workspace';
import type { SandboxGitHub } from './sandbox-github';
import type { SandboxPagerDuty } from './sandbox-pagerduty';
import { SandboxError } from './sandbox-error';

type Json = Record<string, any>;

export const ALERT_KINDS = ['alertmanager', 'pagerduty', 'generic'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

const WEB_DIR = new URL('./web/', import.meta.url).pathname;
const STATIC: Record<string, string> = {
  '/': 'index.html',
  '/web/app.js': 'app.js',
  '/web/mrkdwn.js': 'mrkdwn.js',
  '/web/slack-date.js': 'slack-date.js',
  '/web/render-blocks.js': 'render-blocks.js',
  '/web/style.css': 'style.css',
};
const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};
const SAMPLES_DIR = new URL('../../examples/sandbox/alerts/', import.meta.url).pathname;

export interface WorkspaceServerParts {
  workspace: Workspace;
  api: SlackWebApi;
  deliveries: BotDeliveries;
  github: SandboxGitHub;
  pagerduty: SandboxPagerDuty;
  /** Where the bot listens, and the secrets its alert routes check. */
  bot: () => { url: string; alertToken: string; pagerDutySecret: string };
}

/**
 * One HTTP server on SANDBOX_PORT for everything: the page and its actions, the emulated
 * Slack Web API (/api/*), response_urls (/respond/*), the GitHub stand-in (/github/*), and
 * the page's push channel (WebSocket /sandbox/live, a full snapshot on every change).
 */
export class WorkspaceServer {
  private server: Server | undefined;
  private wss: WebSocketServer | undefined;
  private lastPush = 0;

  constructor(private readonly parts: WorkspaceServerParts) {}

  /** Binds the port first, before anything else starts: a taken port stops the sandbox cleanly. */
  async listen(port: number): Promise<number> {
    const server = createServer(
      (req, res) => void this.route(req, res).catch((error) => send(res, 500, { error: (error as Error).message })),
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'EADDRINUSE'
            ? new SandboxError(
                `Port ${port} is taken (another sandbox, or another program, is listening on 127.0.0.1:${port}).\nStart the sandbox on another port: SANDBOX_PORT=${port + 1} npm run sandbox`,
              )
            : error,
        ),
      );
      server.listen(port, '127.0.0.1', resolve);
    });
    this.server = server;
    const bound = (server.address() as { port: number }).port;
    this.parts.api.publicUrl = `http://127.0.0.1:${bound}/`;
    this.wss = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, head) => {
      if (req.url !== '/sandbox/live') return socket.destroy();
      this.wss!.handleUpgrade(req, socket, head, (ws) => this.welcome(ws));
    });
    this.parts.workspace.onChange(() => this.push());
    return (server.address() as { port: number }).port;
  }

  async close(): Promise<void> {
    for (const client of this.wss?.clients ?? []) client.terminate();
    this.wss?.close();
    // Keep-alive sockets would hold close() open: end them as it starts.
    const closed = new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections();
    await closed;
  }

  /** When the last snapshot went out (ms), for the push-latency bench. */
  get lastPushAt(): number {
    return this.lastPush;
  }

  push(): void {
    if (!this.wss) return;
    const message = JSON.stringify({ type: 'state', state: this.snapshot() });
    for (const client of this.wss.clients) if (client.readyState === client.OPEN) client.send(message);
    this.lastPush = Date.now();
  }

  private welcome(ws: WebSocket): void {
    ws.send(JSON.stringify({ type: 'state', state: this.snapshot() }));
  }

  private snapshot(): Json {
    return { ...this.parts.workspace.snapshot(), github: this.parts.github.snapshot(), pagerduty: this.parts.pagerduty.snapshot() };
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (method === 'GET' && STATIC[path]) {
      const file = STATIC[path]!;
      res.writeHead(200, { 'content-type': TYPES[file.split('.').pop()!]!, 'cache-control': 'no-store' });
      return void res.end(readFileSync(join(WEB_DIR, file)));
    }
    const bytes = await readBytes(req);
    if (method === 'POST' && path.startsWith('/sandbox/upload/'))
      return this.receiveUpload(path.slice('/sandbox/upload/'.length), bytes, req, res);
    if (method === 'GET' && path.startsWith('/sandbox/files/')) {
      const file = this.parts.workspace.files.get(path.slice('/sandbox/files/'.length));
      if (!file?.bytes) return send(res, 404, { error: 'no such file' });
      res.writeHead(200, {
        'content-type': file.filename.endsWith('.png') ? 'image/png' : 'application/octet-stream',
        'cache-control': 'no-store',
      });
      return void res.end(file.bytes);
    }
    const raw = bytes.toString('utf8');
    if (path.startsWith('/api/')) {
      const answer = this.parts.api.call(
        path.slice('/api/'.length),
        parseSlackBody(raw, req.headers['content-type'] ?? ''),
        req.headers.authorization,
      );
      return send(res, answer.status, answer.body, answer.headers);
    }
    if (path.startsWith('/respond/') && method === 'POST') {
      const answer = this.parts.deliveries.respond(path.slice('/respond/'.length), parseJsonOr(raw, {}));
      return send(res, answer.status, answer.body);
    }
    if (path.startsWith('/github/')) {
      const answer = this.parts.github.handle(method, path.slice('/github'.length), url.searchParams, parseJsonOr(raw, {}));
      return send(res, answer.status, answer.body, answer.headers);
    }
    if (method === 'GET' && path === '/sandbox/state') return send(res, 200, this.snapshot());
    if (method === 'GET' && path === '/sandbox/samples')
      return send(res, 200, Object.fromEntries(ALERT_KINDS.map((k) => [k, readFileSync(join(SAMPLES_DIR, `${k}.json`), 'utf8')])));
    if (method === 'POST' && path.startsWith('/sandbox/'))
      return this.pageAction(path.slice('/sandbox/'.length), parseJsonOr(raw, {}), res);
    send(res, 404, { error: `no route ${method} ${path}` });
  }

  /** files.uploadV2's step 2: the bytes, as multipart form data (field `body`), for a file announced in step 1. */
  private async receiveUpload(id: string, raw: Buffer, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const file = this.parts.workspace.files.get(id);
    if (!file) return send(res, 404, { error: 'no such upload' });
    const type = String(req.headers['content-type'] ?? '');
    let bytes: Buffer | null = raw;
    if (type.includes('multipart/form-data')) {
      const part = (await new Response(raw, { headers: { 'content-type': type } }).formData()).get('body');
      bytes = part && typeof part !== 'string' ? Buffer.from(await part.arrayBuffer()) : null;
    }
    if (!bytes || bytes.length !== file.length) {
      this.parts.workspace.refuse('upload_url', 'length_mismatch', [`expected ${file.length} bytes, got ${bytes?.length ?? 0}`]);
      return send(res, 400, { error: 'length_mismatch' });
    }
    file.bytes = bytes;
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`OK - ${bytes.length}`);
  }

  /** What a person does on the page, turned into what Slack would send the bot. */
  private async pageAction(action: string, body: Json, res: ServerResponse): Promise<void> {
    const { workspace, deliveries } = this.parts;
    const user = workspace.user(String(body.user ?? ''));
    if (action !== 'alert' && !user) return send(res, 400, { error: `unknown user "${body.user}"` });
    switch (action) {
      case 'command': {
        const text = String(body.text ?? '').replace(/^\/incident\s*/, '');
        await deliveries.slashCommand(user!.id, String(body.channel), text);
        return send(res, 200, { ok: true });
      }
      case 'message': {
        const channel = workspace.channel(String(body.channel));
        if (!channel?.members.includes(user!.id)) return send(res, 400, { error: 'join the channel first' });
        workspace.post({
          channel: channel.id,
          user: user!.id,
          text: String(body.text ?? ''),
          ...(body.thread_ts ? { thread_ts: String(body.thread_ts) } : {}),
        });
        return send(res, 200, { ok: true });
      }
      case 'click':
        await deliveries.blockAction({ ...(body as ClickTarget), userId: user!.id });
        return send(res, 200, { ok: true });
      case 'submit':
        await deliveries.viewSubmission(user!.id, String(body.viewId), body.values ?? {});
        return send(res, 200, { ok: true });
      case 'close':
        deliveries.closeModal(user!.id);
        return send(res, 200, { ok: true });
      case 'home':
        await deliveries.homeOpened(user!.id);
        return send(res, 200, { ok: true });
      case 'shortcut':
        await deliveries.messageShortcut(user!.id, String(body.channel), String(body.ts), String(body.callbackId));
        return send(res, 200, { ok: true });
      case 'join': {
        const channel = workspace.channel(String(body.channel));
        if (!channel) return send(res, 404, { error: 'no such channel' });
        if (user!.guest) return send(res, 403, { error: 'guests cannot join channels they were not invited to' });
        const joining = !channel.members.includes(user!.id);
        if (joining) channel.members.push(user!.id);
        workspace.changed();
        if (joining) await deliveries.memberJoined(user!.id, channel.id);
        return send(res, 200, { ok: true });
      }
      case 'channel': {
        // A person creating a channel by hand; the bot then meets name_taken for that name.
        const name = String(body.name ?? '').replace(/^#/, '');
        if (!/^[a-z0-9_-]{1,80}$/.test(name))
          return send(res, 400, { error: 'channel names are lowercase letters, digits, - and _ (at most 80)' });
        if (workspace.channelByName(name)) return send(res, 409, { error: `#${name} already exists` });
        workspace.createChannel(name, false, user!.id);
        return send(res, 200, { ok: true });
      }
      case 'alert':
        return send(res, 200, await this.fireAlert(String(body.kind), String(body.body ?? '')));
      default:
        return send(res, 404, { error: `no page action ${action}` });
    }
  }

  /** POSTs an alert payload to the bot as the monitoring system would: bearer token, or PagerDuty's signature. */
  private async fireAlert(kind: string, body: string): Promise<Json> {
    if (!(ALERT_KINDS as readonly string[]).includes(kind))
      return { status: 0, body: `unknown alert source "${kind}"; one of ${ALERT_KINDS.join(', ')}` };
    const bot = this.parts.bot();
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (kind === 'pagerduty')
      headers['x-pagerduty-signature'] = `v1=${createHmac('sha256', bot.pagerDutySecret).update(body).digest('hex')}`;
    else headers.authorization = `Bearer ${bot.alertToken}`;
    const response = await fetch(`${bot.url}/alerts/${kind}`, { method: 'POST', headers, body });
    return { status: response.status, body: await response.text() };
  }
}

async function readBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseJsonOr(raw: string, fallback: Json): Json {
  try {
    return raw ? JSON.parse(raw) : fallback;
  } catch {
    return fallback;
  }
}

/** The Web API client sends forms with JSON-encoded nested values (views are form POSTs too), or JSON. */
export function parseSlackBody(raw: string, contentType: string): Json {
  if (!raw) return {};
  if (contentType.includes('application/json')) return parseJsonOr(raw, {});
  return Object.fromEntries(new URLSearchParams(raw));
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
