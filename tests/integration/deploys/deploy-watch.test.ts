import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/adapters/outbound/slack/ids';
import { PrometheusHarness, prometheusPresent, SKIP_REASON, TestExporter, TEST_QUERIES } from '../../support/prometheus-harness';
import { waitFor, type RunningBot } from '../../support/start-bot';
import { ALERT_TOKEN, allIncidents, incident, startAlertBot } from '../alerts/alert-harness';

const GITHUB_SECRET = 'test-github-webhook-secret-42';
const ERRORS = (service: string) =>
  `100 * (sum(rate(http_requests_total{service="${service}",code=~"5.."}[5s])) or vector(0)) / sum(rate(http_requests_total{service="${service}"}[5s]))`;

let exporter: TestExporter;
let prometheus: PrometheusHarness;
const bots: RunningBot[] = [];

const FILE = {
  services: [
    {
      name: 'checkout',
      owners: ['U0ALICE'],
      rollback: {
        runners: [{ kind: 'command', name: 'checkout-rollback', argv: ['tests/fixtures/scripts/echo-argv.sh', '{previous_release}'] }],
        approvers: { users: ['U0BOB'] },
      },
    },
    { name: 'search' },
    { name: 'orders' },
    {
      name: 'payments',
      rollback: {
        runners: [{ kind: 'command', name: 'payments-rollback', argv: ['tests/fixtures/scripts/echo-argv.sh', '{previous_release}'] }],
        approvers: { users: ['U0BOB'] },
        auto_rollback_delay: '10m',
      },
    },
  ],
  alerts: { slack_min_interval: '50ms' },
  signals: { prometheus: { timeout: '2s' }, reevaluate_every: '5s', cache_for: '200ms', queries: TEST_QUERIES },
  deploy_watch: { window: '6s', check_every: '1s' },
};

async function start(options: { env?: Record<string, string>; prefix?: string; file?: Record<string, unknown> } = {}): Promise<RunningBot> {
  const bot = await startAlertBot({
    file: { ...FILE, ...options.file },
    env: { PROMETHEUS_URL: prometheus.url, GITHUB_WEBHOOK_SECRET: GITHUB_SECRET, ...options.env },
    ...(options.prefix ? { prefix: options.prefix } : {}),
  });
  bots.push(bot);
  return bot;
}

async function post(bot: RunningBot, path: string, body: unknown, headers: Record<string, string>) {
  const response = await fetch(`${bot.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: JSON.parse(text), requestId: response.headers.get('x-request-id') };
}

const deploy = (bot: RunningBot, body: unknown, token: string | null = ALERT_TOKEN) =>
  post(bot, '/deploys', body, token ? { authorization: `Bearer ${token}` } : {});

function github(bot: RunningBot, event: string, body: unknown, secret = GITHUB_SECRET) {
  const raw = JSON.stringify(body);
  const signature = `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
  return post(bot, '/webhooks/github', raw, { 'x-github-event': event, 'x-hub-signature-256': signature, 'x-github-delivery': 'd-1' });
}

function deploymentStatus(state: string, payload: Record<string, string>) {
  return {
    action: 'created',
    deployment_status: { id: 7, state, environment: 'production' },
    deployment: { id: 99, ref: 'main', sha: 'a1b2c3d4', environment: 'production', payload },
    repository: { name: 'search', full_name: 'acme/search' },
    sender: { login: 'octocat' },
  };
}

/** What `/incident watch` answered the person (ephemeral). */
async function watchList(bot: RunningBot): Promise<string> {
  const res = await bot.command('watch');
  const reply = await waitFor(() => bot.replies(res.responseId)[0], 'the /incident watch answer');
  expect(reply.response_type ?? 'ephemeral').toBe('ephemeral');
  return reply.text as string;
}

describe.skipIf(!prometheusPresent)(`deploy watch against a real Prometheus${prometheusPresent ? '' : ` (${SKIP_REASON})`}`, () => {
  beforeAll(async () => {
    exporter = await new TestExporter().start();
    for (const s of ['checkout', 'search', 'orders', 'payments'])
      exporter.traffic(s, { requestsPerSecond: 100, errorPercent: 0, latencySeconds: 0.02 });
    prometheus = await new PrometheusHarness({ targets: [exporter.url] }).start();
    await prometheus.waitFor(ERRORS('checkout'), (v) => v === 0, 'checkout healthy and scraped');
  }, 60_000);

  afterEach(async () => {
    while (bots.length) await bots.pop()!.stop({ cleanup: true });
  });

  afterAll(async () => {
    await prometheus?.cleanup();
    await exporter?.stop();
  });

  it('a deploy whose error rate jumps opens an incident linked to it and proposes the rollback to previous_release', async () => {
    const bot = await start();
    const res = await deploy(bot, { service: 'checkout', release: 'v42', previous_release: 'v41', environment: 'production' });
    expect(res.status).toBe(202);
    expect(res.json.watch).toMatchObject({ service: 'checkout', release: 'v42', previous_release: 'v41', state: 'watching' });
    exporter.traffic('checkout', { requestsPerSecond: 100, errorPercent: 40, latencySeconds: 0.02 });
    try {
      const opened = await waitFor(async () => (await allIncidents(bot)).find((i) => i.source === 'deploy-watch'), 'an incident', 30_000);
      const shown = await incident(bot, opened.id);
      expect(shown.severity).toBe('P1');
      expect(shown.summary).toMatch(/^Opened by deploy watch: checkout release v42 \(previous v41\) — error_rate \d+(\.\d+)?% > 15%$/);
      expect(shown.timeline.find((e: any) => e.kind === 'deploy_watch_breach').text).toBe(shown.summary);

      // The approval message, as the approvers see it in Slack: the rollback to v41, proposed by the deploy watch.
      const posted = await waitFor(
        () =>
          bot.slack.calls.find(
            (c) => c.method === 'chat.postMessage' && JSON.stringify(c.args.blocks ?? '').includes(ACTIONS.approveRollback),
          ),
        'the approval message',
        20_000,
      );
      const blocks = JSON.stringify(posted.args.blocks);
      expect(blocks).toContain('*Release*\\n`v41`');
      expect(blocks).toContain('*Requested by*\\ndeploy watch');
      expect(blocks).toContain('command `tests/fixtures/scripts/echo-argv.sh v41`');
      expect((await incident(bot, opened.id)).timeline.some((e: any) => e.kind === 'rollback_proposed' && e.text.includes('to v41'))).toBe(
        true,
      );
      const list = await watchList(bot);
      expect(list).toContain('*checkout* release `v42` (production), previous `v41`');
      expect(list).toContain(`breached: ${opened.id}`);
      // One incident for the deploy, however many checks ran after.
      expect((await allIncidents(bot)).filter((i) => i.source === 'deploy-watch')).toHaveLength(1);
    } finally {
      exporter.traffic('checkout', { requestsPerSecond: 100, errorPercent: 0, latencySeconds: 0.02 });
    }
  }, 60_000);

  it('when the matching rule has auto_rollback, the breach counts down to the rollback to previous_release with Abort', async () => {
    const rules = join(mkdtempSync(join(tmpdir(), 'ib-deploy-rules-')), 'rules.yml');
    writeFileSync(
      rules,
      "rules:\n  - id: urgent-error-rate\n    severity: P1\n    urgency: urgent\n    auto_rollback: true\n    when: { any: [{ signal: error_rate, op: '>', value: 15 }] }\n",
    );
    await prometheus.waitFor(ERRORS('payments'), (v) => v === 0, 'payments healthy');
    const bot = await start({ file: { severity_rules_file: rules } });
    expect((await deploy(bot, { service: 'payments', release: 'v3', previous_release: 'v2' })).status).toBe(202);
    exporter.traffic('payments', { requestsPerSecond: 100, errorPercent: 40, latencySeconds: 0.02 });
    try {
      const opened = await waitFor(async () => (await allIncidents(bot)).find((i) => i.source === 'deploy-watch'), 'an incident', 30_000);
      const countdown = await waitFor(
        () =>
          bot.slack.calls.find(
            (c) => c.method === 'chat.postMessage' && JSON.stringify(c.args.blocks ?? '').includes(ACTIONS.abortRollback),
          ),
        'the countdown with Abort',
        20_000,
      );
      const blocks = JSON.stringify(countdown.args.blocks);
      expect(blocks).toContain('*Release*\\n`v2`');
      expect(blocks).toContain('automatic rule `urgent-error-rate`');
      expect(blocks).not.toContain(ACTIONS.approveRollback);
      expect((await incident(bot, opened.id)).timeline.some((e: any) => e.kind === 'rollback_auto_countdown')).toBe(true);
    } finally {
      exporter.traffic('payments', { requestsPerSecond: 100, errorPercent: 0, latencySeconds: 0.02 });
    }
  }, 60_000);

  it('a deploy that stays healthy opens nothing and its watch ends, across a restart of the bot', async () => {
    const first = await start();
    const res = await deploy(first, { service: 'orders', release: 'v7', previous_release: 'v6' });
    expect(res.status).toBe(202);
    const id = res.json.watch.id;
    const listed = await waitFor(
      async () => ((await watchList(first)).includes('latest: error_rate 0%') ? watchList(first) : null),
      'a check',
      15_000,
    );
    expect(listed).toContain('*orders* release `v7`, previous `v6`');
    expect(listed).toContain('before the deploy: error_rate 0%');
    // Restart: the second bot (same Redis prefix) carries the watch to its end.
    const prefix = first.prefix;
    bots.splice(bots.indexOf(first), 1);
    await first.stop({ cleanup: false });
    const second = await start({ prefix });
    await waitFor(
      () => second.logs.some((l) => l.includes(`deploy watch ${id} of orders release v7 (previous v6) ended: healthy for 6s`)),
      'the end',
      20_000,
    );
    expect(await watchList(second)).toContain('No deploys are being watched');
    expect(await allIncidents(second)).toEqual([]);
  }, 60_000);

  it('a second deploy of the service supersedes the first; the same deploy told twice starts nothing new', async () => {
    const bot = await start();
    const first = await deploy(bot, { service: 'search', release: 'v8', previous_release: 'v7' });
    const second = await deploy(bot, { service: 'search', release: 'v9', previous_release: 'v8' });
    expect(second.status).toBe(202);
    expect(second.json.superseded).toEqual({ id: first.json.watch.id, release: 'v8' });
    const again = await deploy(bot, { service: 'search', release: 'v9', previous_release: 'v8' });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ duplicate: true, watch: { id: second.json.watch.id } });
    const list = await watchList(bot);
    expect(list).toContain('release `v9`');
    expect(list).not.toContain('release `v8`');
    expect(
      bot.logs.some((l) => l.includes(`deploy watch ${first.json.watch.id} of search release v8 (previous v7) superseded by release v9`)),
    ).toBe(true);
  }, 30_000);

  it('GitHub deployment_status: signed success starts a watch; other states, events and ping are answered; a bad signature is 401', async () => {
    const bot = await start();
    const ping = await github(bot, 'ping', { zen: 'Keep it logically awesome.', hook_id: 1 });
    expect(ping.status).toBe(200);
    const push = await github(bot, 'push', { ref: 'refs/heads/main' });
    expect(push).toMatchObject({ status: 202, json: { ignored: 'event "push": only deployment_status starts a deploy watch' } });
    const pending = await github(bot, 'deployment_status', deploymentStatus('in_progress', { release: 'v10', previous_release: 'v9' }));
    expect(pending).toMatchObject({ status: 202, json: { ignored: expect.stringContaining('only "success" starts a deploy watch') } });

    const bad = await github(
      bot,
      'deployment_status',
      deploymentStatus('success', { release: 'v10', previous_release: 'v9' }),
      'wrong-secret',
    );
    expect(bad.status).toBe(401);
    expect(bad.json).toMatchObject({ error: 'bad_signature', request_id: bad.requestId });
    expect(await watchList(bot)).toContain('No deploys are being watched');

    const ok = await github(bot, 'deployment_status', deploymentStatus('success', { release: 'v10', previous_release: 'v9' }));
    expect(ok.status).toBe(202);
    expect(ok.json.watch).toMatchObject({
      service: 'search',
      release: 'v10',
      previous_release: 'v9',
      environment: 'production',
      source: 'github',
    });
    expect(await watchList(bot)).toContain('*search* release `v10` (production), previous `v9`');
  }, 30_000);

  it('bad input is refused with a reason and a request id', async () => {
    const bot = await start({ env: { GITHUB_WEBHOOK_SECRET: '' } });
    const wrong = await deploy(bot, { service: 'checkout', release: 'v2', previous_release: 'v1' }, 'not-the-token');
    expect(wrong.status).toBe(401);
    expect(wrong.json).toMatchObject({ error: 'unauthorized', request_id: wrong.requestId });
    const missing = await deploy(bot, { service: 'checkout', release: 'v2' });
    expect(missing.status).toBe(400);
    expect(missing.json.reason).toBe('previous_release: required (expected string)');
    expect(missing.json.request_id).toBe(missing.requestId);
    const unknown = await deploy(bot, { service: 'chekout', release: 'v2', previous_release: 'v1' });
    expect(unknown.status).toBe(400);
    expect(unknown.json.reason).toBe('service: "chekout" is not a configured service (known: checkout, search, orders, payments)');
    const hostile = await deploy(bot, { service: 'checkout', release: '<!channel> v2', previous_release: 'v1' });
    expect(hostile.status).toBe(400);
    expect(hostile.json.reason).toMatch(/^release: use letters, digits/);
    const noSecret = await github(bot, 'deployment_status', deploymentStatus('success', { release: 'v10', previous_release: 'v9' }));
    expect(noSecret.status).toBe(503);
    expect(noSecret.json).toMatchObject({ error: 'github_webhooks_disabled', request_id: noSecret.requestId });
    expect(bot.logs.some((l) => l.includes('GITHUB_WEBHOOK_SECRET is not set'))).toBe(true);
    expect(await watchList(bot)).toContain('No deploys are being watched');
  }, 30_000);
});
