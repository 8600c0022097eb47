import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ACTIONS } from '../../../src/adapters/outbound/slack/ids';
import type { RollbackFeature } from '../../../src/features/rollback-feature';
import { startBot, waitFor, type RunningBot, type StartBotOptions } from '../../support/start-bot';

export const ALERT_TOKEN = 'test-alert-token-rollback-0123';
export const RECORD_SCRIPT = resolve('tests/fixtures/scripts/rollback-record.sh');

export interface PlanOptions {
  users?: string[];
  groups?: string[];
  twoForP0?: boolean;
  ttl?: string;
  runners?: unknown[];
  readiness?: unknown[];
  verification?: unknown[];
  autoDelay?: string;
}

/** A scratch directory with the file the rollback script appends to. */
export function scratch(): { dir: string; log: string; lines: () => string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'ib-rollback-'));
  const log = join(dir, 'runs.log');
  return { dir, log, lines: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : []) };
}

export function recordRunner(log: string, label = 'primary', exitCode = 0, sleepSeconds = 0) {
  return {
    kind: 'command',
    name: `${label}-script`,
    argv: [RECORD_SCRIPT, log, label, '{previous_release}', String(exitCode), String(sleepSeconds)],
    timeout: '30s',
  };
}

export function fileConfig(log: string, plan: PlanOptions = {}, extra: Record<string, unknown> = {}) {
  return {
    services: [
      {
        name: 'checkout',
        owners: ['U0OWNER'],
        rollback: {
          level: 'component',
          runners: plan.runners ?? [recordRunner(log)],
          readiness: plan.readiness ?? [{ kind: 'file_exists', path: RECORD_SCRIPT }],
          verification: plan.verification ?? [],
          approvers: { users: plan.users ?? ['U0APPROVER', 'U0SECOND', 'U0REQ'], groups: plan.groups ?? [] },
          two_approvers_for_p0: plan.twoForP0 ?? false,
          approval_ttl: plan.ttl ?? '15m',
          auto_rollback_delay: plan.autoDelay ?? '60s',
        },
      },
      { name: 'search' },
    ],
    ...extra,
  };
}

export async function startRollbackBot(
  log: string,
  plan: PlanOptions = {},
  options: StartBotOptions & { extraFile?: Record<string, unknown> } = {},
): Promise<RunningBot> {
  return startBot({
    ...options,
    file: options.file ?? fileConfig(log, plan, options.extraFile),
    env: { ALERT_WEBHOOK_TOKEN: ALERT_TOKEN, ...options.env },
  });
}

export function feature(bot: RunningBot): RollbackFeature {
  return bot.bot.features.find((f) => f.name === 'rollback') as RollbackFeature;
}

let seq = 0;
/** Opens an incident for checkout through the generic alert webhook; returns its id. */
export async function openIncident(
  bot: RunningBot,
  severity: 'P0' | 'P1' | 'P2' = 'P1',
  extra: Record<string, unknown> = {},
): Promise<string> {
  const body = { dedup_key: `rb-${Date.now()}-${++seq}`, title: `checkout broken ${seq}`, service: 'checkout', severity, ...extra };
  const res = await fetch(`${bot.baseUrl}/alerts/generic`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERT_TOKEN}` },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as { incidents: string[] };
  if (res.status >= 300 || !json.incidents?.[0]) throw new Error(`alert not accepted: ${res.status} ${JSON.stringify(json)}`);
  return json.incidents[0];
}

export async function reply(bot: RunningBot, responseId: string, timeoutMs = 10_000): Promise<any> {
  return waitFor(() => bot.replies(responseId)[0], `reply ${responseId}`, timeoutMs);
}

export async function confirmSeverity(bot: RunningBot, id: string, user = 'U0COMMANDER'): Promise<void> {
  const res = await bot.command(`severity ${id} confirm`, { user });
  await reply(bot, res.responseId);
}

/** `/incident rollback <id> checkout <release>` → the request id from the answer. */
export async function propose(bot: RunningBot, id: string, user = 'U0REQ', release = 'v41'): Promise<string> {
  const res = await bot.command(`rollback ${id} checkout ${release}`, { user });
  const r = await reply(bot, res.responseId);
  const match = /INC-\d{8}-\d{3}-R\d+/.exec(r.text);
  if (!match) throw new Error(`no request id in "${r.text}"`);
  return match[0];
}

export async function decide(bot: RunningBot, action: 'approve' | 'reject' | 'abort', requestId: string, user: string): Promise<string> {
  const id = action === 'approve' ? ACTIONS.approveRollback : action === 'reject' ? ACTIONS.rejectRollback : ACTIONS.abortRollback;
  // A person clicks once the message is there: wait for the approval message that carries the request.
  await waitFor(
    () => bot.slack.messages.some((m) => m.metadata?.event_payload?.request_id === requestId),
    `approval message of ${requestId}`,
  );
  const res = await bot.click(id, requestId, user);
  return (await reply(bot, res.responseId)).text as string;
}

export async function request(bot: RunningBot, requestId: string) {
  return feature(bot).requests.get(requestId);
}

export async function incidentJson(bot: RunningBot, id: string): Promise<any> {
  return (await bot.api(`/api/incidents/${id}`)).json;
}

/** A local service whose health endpoint answers `status`; POST /deploy switches it to 200. */
export async function healthServer(
  initial = 500,
): Promise<{ url: string; deployUrl: string; set(status: number): void; hits: () => number; close(): Promise<void> }> {
  let status = initial;
  let hits = 0;
  const server: Server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/deploy') {
      status = 200;
      res.writeHead(202).end('{"ok":true}');
      return;
    }
    hits += 1;
    res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'healthy' : 'broken');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/healthz`,
    deployUrl: `${base}/deploy`,
    set: (s) => (status = s),
    hits: () => hits,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
