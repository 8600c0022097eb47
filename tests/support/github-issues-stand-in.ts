import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local GitHub REST stand-in for the issue tracker: issues, comments, labels, contents,
 * git refs and pulls, with in-memory state shaped like GitHub's answers (the fields the
 * adapter and Octokit read), a request log, and scripted faults. Listens on 127.0.0.1:0.
 * Generic parts (route table, log, faults) are reusable; add routes with `route()`.
 */

export interface StandInRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: any;
}

export interface StandInResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type RouteHandler = (request: StandInRequest) => StandInResponse;

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: any;
  status: number;
  /** Set when a scripted fault shaped the answer. */
  fault: string | null;
}

export interface Fault {
  /** Matches when both given: method exactly, path by regex on the pathname. */
  method?: string;
  path?: RegExp;
  /** How many matching requests it affects. */
  times: number;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Handle the request for real first, then answer with the fault (the "created it anyway" case). */
  afterHandling?: boolean;
  /** Wait this long before answering. */
  delayMs?: number;
  /** With delayMs: only slow, then handled and answered for real (a GitHub that is slow but works). */
  slowOnly?: boolean;
  /** Handle the request for real, then close the connection without answering (GitHub did it; the caller cannot know). */
  dropConnection?: boolean;
  name?: string;
}

export interface StoredIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  state_reason: string | null;
  labels: string[];
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  comments: { id: number; body: string; created_at: string }[];
  /** Pull requests share the issue number space, as on GitHub. */
  pull: { head: string; base: string } | null;
}

interface StoredFile {
  content: string;
  sha: string;
}

export interface StandInOptions {
  owner?: string;
  repo?: string;
  defaultBranch?: string;
  /** When set, requests without `Authorization: token <it>` (or Bearer) get 401. */
  token?: string;
  /** GitHub's clock, for created_at/updated_at and `since`. */
  now?: () => number;
}

interface CompiledRoute {
  method: string;
  regex: RegExp;
  names: string[];
  handler: RouteHandler;
}

export class GitHubIssuesStandIn {
  readonly owner: string;
  readonly repo: string;
  readonly defaultBranch: string;
  readonly requests: LoggedRequest[] = [];
  readonly issues = new Map<number, StoredIssue>();
  /** branch → path → file */
  readonly files = new Map<string, Map<string, StoredFile>>();
  /** branch → head commit sha */
  readonly refs = new Map<string, string>();
  readonly commits: { sha: string; branch: string; message: string; path: string }[] = [];
  private readonly routes: CompiledRoute[] = [];
  private readonly faults: (Fault & { used: number })[] = [];
  private down = false;
  private nextCommentId = 1000;
  private server!: Server;
  url = '';

  private constructor(private readonly options: StandInOptions) {
    this.owner = options.owner ?? 'acme';
    this.repo = options.repo ?? 'incidents';
    this.defaultBranch = options.defaultBranch ?? 'main';
    this.refs.set(this.defaultBranch, sha('initial'));
    this.files.set(this.defaultBranch, new Map());
    this.registerGitHubRoutes();
  }

  static async start(options: StandInOptions = {}): Promise<GitHubIssuesStandIn> {
    const standIn = new GitHubIssuesStandIn(options);
    standIn.server = createServer((req, res) => void standIn.handle(req, res));
    await new Promise<void>((resolve) => standIn.server.listen(0, '127.0.0.1', resolve));
    standIn.url = `http://127.0.0.1:${(standIn.server.address() as AddressInfo).port}`;
    return standIn;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Adds a route; `:name` matches one segment, `*name` the rest of the path. Later routes win. */
  route(method: string, pattern: string, handler: RouteHandler): void {
    const names: string[] = [];
    const source = pattern.replace(/[:*](\w+)/g, (whole, name: string) => {
      names.push(name);
      return whole.startsWith('*') ? '(.+)' : '([^/]+)';
    });
    this.routes.unshift({ method, regex: new RegExp(`^${source}$`), names, handler });
  }

  /** Scripts the next `times` matching requests to fail. */
  failNext(fault: Fault): void {
    this.faults.push({ ...fault, used: 0 });
  }

  /** The next `times` issue-create calls create the issue, then answer 502 (GitHub did it anyway). */
  failCreatesAfterCreating(times: number, status = 502): void {
    this.failNext({
      name: `create-then-${status}`,
      method: 'POST',
      path: /\/issues$/,
      times,
      status,
      afterHandling: true,
      body: { message: 'Server Error' },
    });
  }

  /** A secondary rate limit as GitHub sends it: 403, retry-after, and the tell-tale message. */
  secondaryRateLimit(times = 1, retryAfterSeconds = 1, path?: RegExp): void {
    this.failNext({
      name: 'secondary-rate-limit',
      times,
      status: 403,
      ...(path ? { path } : {}),
      headers: { 'retry-after': String(retryAfterSeconds) },
      body: {
        message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
      },
    });
  }

  /** The next `times` comment posts are made, then the connection drops before the answer: an ambiguous outcome. */
  dropCommentAnswers(times = 1): void {
    this.failNext({ name: 'posted-then-dropped', method: 'POST', path: /\/comments$/, times, status: 0, dropConnection: true });
  }

  /** The next `times` comment posts each take `delayMs`, then succeed. */
  slowComments(times: number, delayMs: number): void {
    this.failNext({ name: 'slow-comment', method: 'POST', path: /\/comments$/, times, status: 0, delayMs, slowOnly: true });
  }

  /** While down, everything answers 503. */
  setDown(down: boolean): void {
    this.down = down;
  }

  requestsMatching(method: string, path: RegExp): LoggedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }

  file(path: string, branch = this.defaultBranch): StoredFile | undefined {
    return this.files.get(branch)?.get(path);
  }

  private now(): string {
    return new Date((this.options.now ?? Date.now)()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    let body: any;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const entry: LoggedRequest = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), body, status: 0, fault: null };
    this.requests.push(entry);

    const answer = (response: StandInResponse) => {
      entry.status = response.status;
      const headers: Record<string, string> = {
        'content-type': 'application/json; charset=utf-8',
        'x-ratelimit-remaining': '4999',
        ...response.headers,
      };
      res.writeHead(response.status, headers);
      res.end(response.body === undefined ? '' : JSON.stringify(response.body));
    };

    if (this.down) {
      entry.fault = 'down';
      return answer({ status: 503, body: { message: 'Service Unavailable' } });
    }
    const auth = req.headers.authorization ?? '';
    if (this.options.token && auth !== `token ${this.options.token}` && auth !== `Bearer ${this.options.token}`) {
      return answer({ status: 401, body: { message: 'Bad credentials' } });
    }
    const fault = this.faults.find((f) => f.used < f.times && (!f.method || f.method === method) && (!f.path || f.path.test(url.pathname)));
    if (fault) fault.used++;
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    const faultAnswer = fault
      ? { status: fault.status, body: fault.body ?? { message: 'Scripted fault' }, ...(fault.headers ? { headers: fault.headers } : {}) }
      : null;
    if (fault) entry.fault = fault.name ?? `status-${fault.status}`;
    if (fault?.dropConnection) {
      this.dispatch(method, url, req.headers, body);
      entry.status = -1;
      res.socket?.destroy();
      return;
    }
    if (fault?.slowOnly) return answer(this.dispatch(method, url, req.headers, body));
    if (faultAnswer && !fault!.afterHandling) return answer(faultAnswer);

    const response = this.dispatch(method, url, req.headers, body);
    return answer(faultAnswer ?? response);
  }

  private dispatch(method: string, url: URL, headers: IncomingMessage['headers'], body: any): StandInResponse {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const match = route.regex.exec(url.pathname);
      if (!match) continue;
      const params = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
      if ('owner' in params && (params.owner !== this.owner || params.repo !== this.repo)) return notFound();
      return route.handler({ method, path: url.pathname, params, query: url.searchParams, headers, body });
    }
    return notFound();
  }

  private issueJson(issue: StoredIssue): Record<string, unknown> {
    const base = `${this.url}/repos/${this.owner}/${this.repo}`;
    return {
      id: 100_000 + issue.number,
      node_id: `I_${issue.number}`,
      number: issue.number,
      title: issue.title,
      body: issue.body,
      state: issue.state,
      state_reason: issue.state_reason,
      labels: issue.labels.map((name, i) => ({ id: i + 1, name, color: 'ededed', default: false })),
      user: { login: 'incident-bot[bot]' },
      comments: issue.comments.length,
      url: `${base}/issues/${issue.number}`,
      html_url: `https://github.test/${this.owner}/${this.repo}/${issue.pull ? 'pull' : 'issues'}/${issue.number}`,
      created_at: issue.created_at,
      updated_at: issue.updated_at,
      closed_at: issue.closed_at,
      ...(issue.pull ? { pull_request: { url: `${base}/pulls/${issue.number}` } } : {}),
    };
  }

  private pullJson(issue: StoredIssue): Record<string, unknown> {
    return {
      ...this.issueJson(issue),
      head: { ref: issue.pull!.head, label: `${this.owner}:${issue.pull!.head}` },
      base: { ref: issue.pull!.base },
    };
  }

  /** Puts an issue straight into the state, as if created earlier through the API. */
  seedIssue(fields: { title: string; body: string; labels: string[] }): StoredIssue {
    return this.createIssue(fields);
  }

  private createIssue(fields: { title: string; body: string; labels: string[]; pull?: StoredIssue['pull'] }): StoredIssue {
    const now = this.now();
    const issue: StoredIssue = {
      number: this.issues.size + 1,
      title: fields.title,
      body: fields.body,
      state: 'open',
      state_reason: null,
      labels: [...new Set(fields.labels)],
      created_at: now,
      updated_at: now,
      closed_at: null,
      comments: [],
      pull: fields.pull ?? null,
    };
    this.issues.set(issue.number, issue);
    return issue;
  }

  private paginate(items: unknown[], url: URL): StandInResponse {
    const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30));
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
    const slice = items.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = {};
    if (page * perPage < items.length) {
      const next = new URL(url.pathname + url.search, this.url);
      next.searchParams.set('page', String(page + 1));
      headers.link = `<${next.toString()}>; rel="next"`;
    }
    return { status: 200, body: slice, headers };
  }

  private registerGitHubRoutes(): void {
    const repo = '/repos/:owner/:repo';
    const issueOr404 = (n: string | undefined) => this.issues.get(Number(n));
    const touch = (issue: StoredIssue) => (issue.updated_at = this.now());

    this.route('GET', repo, () => ({
      status: 200,
      body: { name: this.repo, full_name: `${this.owner}/${this.repo}`, default_branch: this.defaultBranch, owner: { login: this.owner } },
    }));

    this.route('GET', `${repo}/issues`, ({ query, path }) => {
      const wanted = (query.get('labels') ?? '')
        .split(',')
        .map((l) => l.trim())
        .filter(Boolean);
      const state = query.get('state') ?? 'open';
      const since = query.get('since');
      const list = [...this.issues.values()]
        .filter((i) => state === 'all' || i.state === state)
        .filter((i) => wanted.every((l) => i.labels.includes(l)))
        .filter((i) => !since || i.updated_at >= since.replace(/\.\d{3}Z$/, 'Z'))
        .sort((a, b) => b.number - a.number)
        .map((i) => this.issueJson(i));
      return this.paginate(list, new URL(`${path}?${query.toString()}`, this.url));
    });

    this.route('POST', `${repo}/issues`, ({ body }) => {
      if (!body?.title)
        return {
          status: 422,
          body: { message: 'Validation Failed', errors: [{ resource: 'Issue', field: 'title', code: 'missing_field' }] },
        };
      const issue = this.createIssue({ title: body.title, body: body.body ?? '', labels: body.labels ?? [] });
      return { status: 201, body: this.issueJson(issue) };
    });

    this.route('GET', `${repo}/issues/:number`, ({ params }) => {
      const issue = issueOr404(params.number);
      return issue ? { status: 200, body: this.issueJson(issue) } : notFound();
    });

    this.route('PATCH', `${repo}/issues/:number`, ({ params, body }) => {
      const issue = issueOr404(params.number);
      if (!issue) return notFound();
      if (body.title !== undefined) issue.title = body.title;
      if (body.body !== undefined) issue.body = body.body;
      if (body.labels !== undefined) issue.labels = [...new Set<string>(body.labels)];
      if (body.state === 'closed' && issue.state !== 'closed') {
        issue.state = 'closed';
        issue.closed_at = this.now();
        issue.state_reason = body.state_reason ?? 'completed';
      } else if (body.state === 'open' && issue.state !== 'open') {
        issue.state = 'open';
        issue.closed_at = null;
        issue.state_reason = 'reopened';
      }
      touch(issue);
      return { status: 200, body: this.issueJson(issue) };
    });

    this.route('GET', `${repo}/issues/:number/comments`, ({ params, query, path }) => {
      const issue = issueOr404(params.number);
      if (!issue) return notFound();
      const list = issue.comments.map((c) => ({
        id: c.id,
        body: c.body,
        created_at: c.created_at,
        html_url: `https://github.test/${this.owner}/${this.repo}/issues/${issue.number}#issuecomment-${c.id}`,
      }));
      return this.paginate(list, new URL(`${path}?${query.toString()}`, this.url));
    });

    this.route('POST', `${repo}/issues/:number/comments`, ({ params, body }) => {
      const issue = issueOr404(params.number);
      if (!issue) return notFound();
      const comment = { id: this.nextCommentId++, body: body.body, created_at: this.now() };
      issue.comments.push(comment);
      touch(issue);
      return {
        status: 201,
        body: { ...comment, html_url: `https://github.test/${this.owner}/${this.repo}/issues/${issue.number}#issuecomment-${comment.id}` },
      };
    });

    const labelsJson = (issue: StoredIssue) => issue.labels.map((name, i) => ({ id: i + 1, name, color: 'ededed', default: false }));
    this.route('PUT', `${repo}/issues/:number/labels`, ({ params, body }) => {
      const issue = issueOr404(params.number);
      if (!issue) return notFound();
      issue.labels = [...new Set<string>((body.labels ?? []).map((l: string | { name: string }) => (typeof l === 'string' ? l : l.name)))];
      touch(issue);
      return { status: 200, body: labelsJson(issue) };
    });
    this.route('POST', `${repo}/issues/:number/labels`, ({ params, body }) => {
      const issue = issueOr404(params.number);
      if (!issue) return notFound();
      issue.labels = [...new Set<string>([...issue.labels, ...(body.labels ?? [])])];
      touch(issue);
      return { status: 200, body: labelsJson(issue) };
    });
    this.route('DELETE', `${repo}/issues/:number/labels/:name`, ({ params }) => {
      const issue = issueOr404(params.number);
      if (!issue?.labels.includes(params.name!)) return notFound();
      issue.labels = issue.labels.filter((l) => l !== params.name);
      touch(issue);
      return { status: 200, body: labelsJson(issue) };
    });

    this.route('GET', `${repo}/contents/*path`, ({ params, query }) => {
      const branch = query.get('ref') ?? this.defaultBranch;
      const tree = this.files.get(branch);
      if (!tree) return { status: 404, body: { message: `No commit found for the ref ${branch}` } };
      const file = tree.get(params.path!);
      if (!file) return notFound();
      // GitHub wraps base64 content at 60 characters.
      const content = Buffer.from(file.content, 'utf8')
        .toString('base64')
        .replace(/(.{60})/g, '$1\n');
      return {
        status: 200,
        body: {
          type: 'file',
          encoding: 'base64',
          name: params.path!.split('/').pop(),
          path: params.path,
          sha: file.sha,
          size: Buffer.byteLength(file.content),
          content,
          html_url: `https://github.test/${this.owner}/${this.repo}/blob/${branch}/${params.path}`,
        },
      };
    });

    this.route('PUT', `${repo}/contents/*path`, ({ params, body }) => {
      const branch = body.branch ?? this.defaultBranch;
      const tree = this.files.get(branch);
      if (!tree) return { status: 404, body: { message: `Branch ${branch} not found` } };
      if (typeof body.message !== 'string' || typeof body.content !== 'string')
        return { status: 422, body: { message: 'Invalid request.\n\n"message" and "content" are required.' } };
      const path = params.path!;
      const existing = tree.get(path);
      if (existing && !body.sha) return { status: 422, body: { message: 'Invalid request.\n\n"sha" wasn\'t supplied.' } };
      if (existing && body.sha !== existing.sha) return { status: 409, body: { message: `${path} does not match ${body.sha}` } };
      const content = Buffer.from(body.content, 'base64').toString('utf8');
      const file = { content, sha: sha(`blob ${content}`) };
      tree.set(path, file);
      const commitSha = sha(`commit ${this.commits.length} ${branch} ${path} ${file.sha}`);
      this.commits.push({ sha: commitSha, branch, message: body.message, path });
      this.refs.set(branch, commitSha);
      return {
        status: existing ? 200 : 201,
        body: {
          content: {
            name: path.split('/').pop(),
            path,
            sha: file.sha,
            html_url: `https://github.test/${this.owner}/${this.repo}/blob/${branch}/${path}`,
          },
          commit: { sha: commitSha, message: body.message },
        },
      };
    });

    this.route('GET', `${repo}/git/ref/*ref`, ({ params }) => {
      const branch = params.ref!.replace(/^heads\//, '');
      const head = this.refs.get(branch);
      return head ? { status: 200, body: { ref: `refs/heads/${branch}`, object: { sha: head, type: 'commit' } } } : notFound();
    });

    this.route('POST', `${repo}/git/refs`, ({ body }) => {
      const branch = String(body.ref ?? '').replace(/^refs\/heads\//, '');
      if (!branch || !body.sha) return { status: 422, body: { message: 'Invalid request.' } };
      if (this.refs.has(branch)) return { status: 422, body: { message: 'Reference already exists' } };
      const from = [...this.refs.entries()].find(([, head]) => head === body.sha)?.[0];
      if (!from) return { status: 422, body: { message: 'Object does not exist' } };
      this.refs.set(branch, body.sha);
      this.files.set(branch, new Map(this.files.get(from)));
      return { status: 201, body: { ref: `refs/heads/${branch}`, object: { sha: body.sha, type: 'commit' } } };
    });

    this.route('GET', `${repo}/pulls`, ({ query, path }) => {
      const head = query.get('head')?.replace(/^[^:]+:/, '');
      const state = query.get('state') ?? 'open';
      const list = [...this.issues.values()]
        .filter((i) => i.pull && (state === 'all' || i.state === state) && (!head || i.pull.head === head))
        .sort((a, b) => b.number - a.number)
        .map((i) => this.pullJson(i));
      return this.paginate(list, new URL(`${path}?${query.toString()}`, this.url));
    });

    this.route('POST', `${repo}/pulls`, ({ body }) => {
      if (!this.refs.has(body.head) || !this.refs.has(body.base))
        return {
          status: 422,
          body: { message: 'Validation Failed', errors: [{ resource: 'PullRequest', field: 'head', code: 'invalid' }] },
        };
      const open = [...this.issues.values()].find((i) => i.pull?.head === body.head && i.state === 'open');
      if (open)
        return {
          status: 422,
          body: {
            message: 'Validation Failed',
            errors: [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${this.owner}:${body.head}.` }],
          },
        };
      const pull = this.createIssue({ title: body.title, body: body.body ?? '', labels: [], pull: { head: body.head, base: body.base } });
      return { status: 201, body: this.pullJson(pull) };
    });
  }
}

function notFound(): StandInResponse {
  return { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } };
}

function sha(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}
