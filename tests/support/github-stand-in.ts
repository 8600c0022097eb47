import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HTTP server answering like GitHub's REST API, for clients pointed at it through
 * Octokit's `baseUrl`. Generic on purpose: tests register routes `(method, '/repos/:owner/:repo/...')`
 * with handlers that script the answers, and read back every request received in `requests`.
 * Nothing is built in, so each test states exactly what "GitHub" says.
 */

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/repos/acme/web/actions/runs/7`. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** Parsed JSON body, or undefined when empty / not JSON. */
  body: unknown;
  /** Values of the route pattern's `:name` segments (empty for unmatched requests). */
  params: Record<string, string>;
  /** `performance.now()` when the request arrived. */
  at: number;
}

export interface StandInResponse {
  status?: number;
  /** Serialized as JSON unless it is a string. Omit for an empty body (204). */
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait before answering (timeouts, slow GitHub). */
  delayMs?: number;
}

export type StandInHandler = (request: RecordedRequest) => StandInResponse | Promise<StandInResponse>;

interface Route {
  method: string;
  pattern: string;
  regex: RegExp;
  names: string[];
  handler: StandInHandler;
}

function compile(pattern: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const source = pattern
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':')) {
        names.push(segment.slice(1));
        return '([^/]+)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { regex: new RegExp(`^${source}$`), names };
}

/** A handler answering with each response in turn, then repeating the last (retries, status changes). */
export function inSequence(...responses: StandInResponse[]): StandInHandler {
  let next = 0;
  return () => responses[Math.min(next++, responses.length - 1)]!;
}

export class GitHubStandIn {
  readonly requests: RecordedRequest[] = [];
  private readonly routes: Route[] = [];
  private server: Server | null = null;
  private baseUrl = '';

  /** Registers a route; a later registration for the same request wins, so tests can override. */
  route(method: string, pattern: string, handler: StandInHandler): this {
    this.routes.unshift({ method: method.toUpperCase(), pattern, handler, ...compile(pattern) });
    return this;
  }

  /** Requests received for a method and route pattern (as registered), in arrival order. */
  requestsTo(method: string, pattern: string): RecordedRequest[] {
    const { regex } = compile(pattern);
    return this.requests.filter((r) => r.method === method.toUpperCase() && regex.test(r.path));
  }

  get url(): string {
    if (!this.server) throw new Error('GitHubStandIn not started');
    return this.baseUrl;
  }

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void (async () => {
          const url = new URL(req.url ?? '/', 'http://stand-in');
          const rawBody = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = rawBody ? JSON.parse(rawBody) : undefined;
          } catch {
            body = undefined;
          }
          const recorded: RecordedRequest = {
            method: req.method ?? 'GET',
            path: url.pathname,
            query: Object.fromEntries(url.searchParams),
            headers: req.headers,
            rawBody,
            body,
            params: {},
            at: performance.now(),
          };
          this.requests.push(recorded);
          const route = this.routes.find((r) => r.method === recorded.method && r.regex.test(recorded.path));
          let answer: StandInResponse;
          if (route) {
            const match = route.regex.exec(recorded.path)!;
            route.names.forEach((name, i) => {
              recorded.params[name] = decodeURIComponent(match[i + 1]!);
            });
            try {
              answer = await route.handler(recorded);
            } catch (error) {
              answer = { status: 500, body: { message: `stand-in handler threw: ${(error as Error).message}` } };
            }
          } else {
            answer = { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' } };
          }
          if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
          if (res.destroyed) return;
          const payload = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
          res.writeHead(answer.status ?? 200, {
            ...(payload ? { 'content-type': 'application/json; charset=utf-8' } : {}),
            'x-github-api-version-selected': '2022-11-28',
            'x-ratelimit-limit': '5000',
            'x-ratelimit-remaining': '4999',
            ...answer.headers,
          });
          res.end(payload);
        })();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
