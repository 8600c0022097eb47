import { createHash } from 'node:crypto';

type Json = Record<string, any>;

export interface GitHubIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
  comments: { id: number; body: string; created_at: string }[];
  created_at: string;
  updated_at: string;
}

export interface GitHubCommit {
  sha: string;
  path: string;
  message: string;
  content: string;
  at: string;
}

const sha = (text: string) => createHash('sha1').update(text).digest('hex');

/**
 * A GitHub REST stand-in holding what the bot's paper trail writes (issues, comments, labels,
 * committed reports), answering in GitHub's shapes so Octokit reads it unchanged. In memory:
 * the sandbox shows this run's trail on its GitHub tab.
 */
export class SandboxGitHub {
  readonly issues = new Map<number, GitHubIssue>();
  readonly commits: GitHubCommit[] = [];
  private readonly files = new Map<string, { content: string; sha: string }>();
  private nextComment = 1;

  constructor(
    readonly owner: string,
    readonly repo: string,
    private readonly onChange: () => void,
    private readonly publicUrl = 'https://github.sandbox',
  ) {}

  /** One request (path below the API base). Unknown routes answer 404 as GitHub does. */
  handle(
    method: string,
    path: string,
    query: URLSearchParams,
    body: Json,
  ): { status: number; body?: unknown; headers?: Record<string, string> } {
    const base = `/repos/${this.owner}/${this.repo}`;
    if (!path.startsWith(base)) return notFound();
    const rest = path.slice(base.length);
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const changed = <T>(value: T) => {
      this.onChange();
      return value;
    };
    let m: RegExpExecArray | null;
    if (method === 'GET' && rest === '')
      return {
        status: 200,
        body: { name: this.repo, full_name: `${this.owner}/${this.repo}`, default_branch: 'main', owner: { login: this.owner } },
      };
    if (method === 'GET' && rest === '/issues') {
      const labels = (query.get('labels') ?? '').split(',').filter(Boolean);
      const state = query.get('state') ?? 'open';
      const list = [...this.issues.values()]
        .filter((i) => (state === 'all' || i.state === state) && labels.every((l) => i.labels.includes(l)))
        .reverse();
      return { status: 200, body: list.map((i) => this.issueJson(i)) };
    }
    if (method === 'POST' && rest === '/issues') {
      if (!body?.title)
        return {
          status: 422,
          body: { message: 'Validation Failed', errors: [{ resource: 'Issue', field: 'title', code: 'missing_field' }] },
        };
      const issue: GitHubIssue = {
        number: this.issues.size + 1,
        title: body.title,
        body: body.body ?? '',
        state: 'open',
        labels: [...new Set<string>(body.labels ?? [])],
        comments: [],
        created_at: now,
        updated_at: now,
      };
      this.issues.set(issue.number, issue);
      return changed({ status: 201, body: this.issueJson(issue) });
    }
    if ((m = /^\/issues\/(\d+)$/.exec(rest))) {
      const issue = this.issues.get(Number(m[1]));
      if (!issue) return notFound();
      if (method === 'GET') return { status: 200, body: this.issueJson(issue) };
      if (method === 'PATCH') {
        if (body.title !== undefined) issue.title = body.title;
        if (body.body !== undefined) issue.body = body.body;
        if (body.state === 'open' || body.state === 'closed') issue.state = body.state;
        if (body.labels) issue.labels = [...new Set<string>(body.labels)];
        issue.updated_at = now;
        return changed({ status: 200, body: this.issueJson(issue) });
      }
    }
    if ((m = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
      const issue = this.issues.get(Number(m[1]));
      if (!issue) return notFound();
      if (method === 'GET')
        return { status: 200, body: issue.comments.map((c) => ({ ...c, html_url: `${this.htmlUrl(issue)}#issuecomment-${c.id}` })) };
      if (method === 'POST') {
        const comment = { id: this.nextComment++, body: String(body.body ?? ''), created_at: now };
        issue.comments.push(comment);
        issue.updated_at = now;
        return changed({ status: 201, body: { ...comment, html_url: `${this.htmlUrl(issue)}#issuecomment-${comment.id}` } });
      }
    }
    if ((m = /^\/issues\/(\d+)\/labels$/.exec(rest)) && (method === 'PUT' || method === 'POST')) {
      const issue = this.issues.get(Number(m[1]));
      if (!issue) return notFound();
      const given = (body.labels ?? []).map((l: string | { name: string }) => (typeof l === 'string' ? l : l.name));
      issue.labels = [...new Set<string>(method === 'PUT' ? given : [...issue.labels, ...given])];
      return changed({ status: 200, body: issue.labels.map((name, i) => ({ id: i + 1, name })) });
    }
    if ((m = /^\/contents\/(.+)$/.exec(rest))) {
      const path = decodeURIComponent(m[1]!);
      const file = this.files.get(path);
      if (method === 'GET') {
        if (!file) return notFound();
        return {
          status: 200,
          body: {
            type: 'file',
            encoding: 'base64',
            path,
            name: path.split('/').pop(),
            sha: file.sha,
            content: Buffer.from(file.content).toString('base64'),
            html_url: `${this.publicUrl}/${this.owner}/${this.repo}/blob/main/${path}`,
          },
        };
      }
      if (method === 'PUT') {
        if (typeof body.message !== 'string' || typeof body.content !== 'string')
          return { status: 422, body: { message: 'Invalid request.\n\n"message" and "content" are required.' } };
        if (file && body.sha !== file.sha)
          return { status: file && !body.sha ? 422 : 409, body: { message: `${path} does not match ${body.sha ?? '(no sha)'}` } };
        const content = Buffer.from(body.content, 'base64').toString('utf8');
        const stored = { content, sha: sha(`blob ${content}`) };
        this.files.set(path, stored);
        const commit = { sha: sha(`commit ${this.commits.length} ${path} ${stored.sha}`), path, message: body.message, content, at: now };
        this.commits.push(commit);
        return changed({
          status: file ? 200 : 201,
          body: {
            content: { path, sha: stored.sha, html_url: `${this.publicUrl}/${this.owner}/${this.repo}/blob/main/${path}` },
            commit: { sha: commit.sha, message: commit.message },
          },
        });
      }
    }
    if (method === 'GET' && /^\/git\/ref\/heads\//.test(rest))
      return { status: 200, body: { ref: rest.slice('/git/ref/'.length), object: { sha: sha('main'), type: 'commit' } } };
    return notFound();
  }

  snapshot(): Json {
    return { repository: `${this.owner}/${this.repo}`, issues: [...this.issues.values()].reverse(), commits: [...this.commits].reverse() };
  }

  private htmlUrl(issue: GitHubIssue): string {
    return `${this.publicUrl}/${this.owner}/${this.repo}/issues/${issue.number}`;
  }

  private issueJson(issue: GitHubIssue): Json {
    return {
      id: issue.number,
      number: issue.number,
      title: issue.title,
      body: issue.body,
      state: issue.state,
      state_reason: issue.state === 'closed' ? 'completed' : null,
      labels: issue.labels.map((name, i) => ({ id: i + 1, name, color: 'ededed', default: false })),
      comments: issue.comments.length,
      user: { login: 'incident-bot[bot]' },
      html_url: this.htmlUrl(issue),
      url: `/repos/${this.owner}/${this.repo}/issues/${issue.number}`,
      created_at: issue.created_at,
      updated_at: issue.updated_at,
    };
  }
}

function notFound() {
  return { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } };
}
