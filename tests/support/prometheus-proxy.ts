import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  path: string;
  query: string | null;
  authorization: string | undefined;
}

/**
 * A loopback stand-in in front of a real Prometheus: it can demand a bearer token (as a
 * Prometheus behind an auth proxy does), hang (a slow source), and records every request.
 */
export class PrometheusProxy {
  readonly requests: ProxiedRequest[] = [];
  requiredToken: string | null = null;
  hang = false;
  private server?: Server;
  url = '';

  constructor(private readonly target: () => string) {}

  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      const body = await readAll(req);
      const params = new URLSearchParams(req.method === 'POST' ? body : ((req.url ?? '').split('?')[1] ?? ''));
      this.requests.push({ path: (req.url ?? '').split('?')[0]!, query: params.get('query'), authorization: req.headers.authorization });
      if (this.hang) return; // never answers
      if (this.requiredToken !== null && req.headers.authorization !== `Bearer ${this.requiredToken}`) {
        res.writeHead(401, { 'content-type': 'text/plain' }).end('Unauthorized\n');
        return;
      }
      try {
        const upstream = await fetch(`${this.target()}${req.url}`, {
          method: req.method,
          headers: { 'content-type': req.headers['content-type'] ?? 'application/x-www-form-urlencoded' },
          ...(req.method === 'POST' ? { body } : {}),
        });
        res
          .writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' })
          .end(await upstream.text());
      } catch {
        res.writeHead(502).end('bad gateway');
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  queriesTo(path: string): ProxiedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => (this.server ? this.server.close(resolve) : resolve(undefined)));
  }
}

function readAll(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.on('data', (d) => (text += String(d)));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}
