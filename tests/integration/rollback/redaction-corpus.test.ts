import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitHubIssuesStandIn } from '../../support/github-issues-stand-in';
import { TEST_SIGNING_SECRET } from '../../support/slack-requests';
import { TEST_API_TOKEN, waitFor, type RunningBot } from '../../support/start-bot';
import { FAST_GITHUB } from '../paper-trail/paper-trail-harness';
import {
  ALERT_TOKEN,
  confirmSeverity,
  decide,
  fileConfig,
  incidentJson,
  propose,
  request,
  scratch,
  startRollbackBot,
} from './rollback-harness';

// A rollback script that prints every kind of secret the bot must never store, show or log.
const files = scratch();
const corpusFile = join(files.dir, 'corpus.txt');
const DEPLOY_TOKEN = 'deploy-token-from-runner-env-0123';
const SECRETS = {
  signingSecret: TEST_SIGNING_SECRET,
  apiToken: TEST_API_TOKEN,
  alertToken: ALERT_TOKEN,
  pagerDutyToken: 'pd-rest-token-configured-0123456',
  githubToken: 'ghp_configuredGithubToken0123456789abcdefgh',
  runnerEnv: DEPLOY_TOKEN,
  foreignSlack: 'xoxb-999999999999-8888888888888-ForeignSlackTokenValue',
  foreignGithub: 'ghp_foreignGithubTokenValue0123456789abcdef',
  foreignFineGrained: 'github_pat_11FOREIGN0123456789_finegrainedtokenvalue',
  aws: 'AKIAIOSFODNN7EXAMPLE',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJmb3JlaWduIn0.c2lnbmF0dXJlLXZhbHVlLWhlcmU',
  bearer: 'bearer-value-printed-by-script',
  urlPassword: 'url-password-in-userinfo',
};

// Every kind of secret, as lines of text: printed by the rollback script, and sent in an alert's
// annotations, a generic webhook and a person's status update.
const CORPUS = [
  `\u001b[31mSIGNING=${SECRETS.signingSecret}\u001b[0m`,
  `api ${SECRETS.apiToken} alert ${SECRETS.alertToken}`,
  `pd ${SECRETS.pagerDutyToken} gh ${SECRETS.githubToken} env ${SECRETS.runnerEnv}`,
  `foreign ${SECRETS.foreignSlack} ${SECRETS.foreignGithub} ${SECRETS.foreignFineGrained}`,
  `aws ${SECRETS.aws} jwt ${SECRETS.jwt}`,
  `curl -H "Authorization: Bearer ${SECRETS.bearer}" https://deploy:${SECRETS.urlPassword}@deploy.example.com/`,
];
// What a sender or a person types has no terminal escapes; the secrets are the same.
const TYPED = CORPUS.map((line) => line.replace(/\u001b\[[0-9;]*m/g, ''));

let bot: RunningBot;
let github: GitHubIssuesStandIn;
beforeAll(async () => {
  writeFileSync(corpusFile, [...CORPUS, 'bell\u0007 nul\u0000 done'].join('\n'));
  github = await GitHubIssuesStandIn.start({ token: SECRETS.githubToken });
  const runners = [{ kind: 'command', name: 'leaky', argv: ['/bin/cat', corpusFile], env: { DEPLOY_TOKEN }, timeout: '30s' }];
  bot = await startRollbackBot(files.log, undefined, {
    file: {
      ...fileConfig(files.log, { runners, readiness: [] }),
      paper_trail: { github: FAST_GITHUB },
      alerts: { slack_min_interval: '20ms' },
    },
    env: {
      PAGERDUTY_TOKEN: SECRETS.pagerDutyToken,
      GITHUB_TOKEN: SECRETS.githubToken,
      GITHUB_REPOSITORY: `${github.owner}/${github.repo}`,
      GITHUB_API_URL: github.url,
    },
  });
});
afterAll(async () => {
  await bot?.stop({ cleanup: true });
  await github?.close();
});

async function post(path: string, body: unknown): Promise<string> {
  const res = await fetch(`${bot.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERT_TOKEN}` },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as { incidents: string[] };
  if (res.status >= 300 || !json.incidents?.[0]) throw new Error(`alert not accepted: ${res.status} ${JSON.stringify(json)}`);
  return json.incidents[0];
}

/** Everything stored under the bot's prefix, as text. */
async function storedInRedis(): Promise<string> {
  const stored: string[] = [];
  for (const key of await bot.bot.redis.keys(`${bot.prefix}*`)) {
    const type = await bot.bot.redis.type(key);
    if (type === 'string') stored.push((await bot.bot.redis.get(key)) ?? '');
    else if (type === 'list') stored.push(...(await bot.bot.redis.lrange(key, 0, -1)));
    else if (type === 'hash') stored.push(JSON.stringify(await bot.bot.redis.hgetall(key)));
    else if (type === 'zset') stored.push(...(await bot.bot.redis.zrange(key, 0, -1)));
    else if (type === 'stream') stored.push(JSON.stringify(await bot.bot.redis.xrange(key, '-', '+')));
  }
  return stored.join('\n');
}

describe('13 secrets through every path: an alert annotation, a webhook, a status update, runner output', () => {
  it('none reaches Slack, the GitHub issue, the timeline in Redis, the evidence bundle or the logs; control bytes are gone', async () => {
    // An Alertmanager alert carrying the corpus in its annotations and a label.
    const alerted = await post('/alerts/alertmanager', {
      version: '4',
      groupKey: '{}:{alertname="Leaky"}',
      status: 'firing',
      receiver: 'incident-bot',
      truncatedAlerts: 0,
      externalURL: 'http://alertmanager.local',
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'Leaky', service: 'checkout', severity: 'critical', leaked: SECRETS.foreignSlack },
          annotations: { summary: `checkout down ${SECRETS.jwt}`, description: TYPED.join('\n'), error_rate: '18' },
          startsAt: new Date().toISOString(),
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: `https://user:${SECRETS.urlPassword}@prometheus.example/graph`,
          fingerprint: 'leaky-1',
        },
      ],
    });
    // A generic webhook with the corpus in its title and description.
    const webhooked = await post('/alerts/generic', {
      dedup_key: 'leaky-generic',
      service: 'search',
      severity: 'P2',
      title: `search slow, Authorization: Bearer ${SECRETS.bearer}`,
      description: TYPED.join('\n'),
      labels: { token: SECRETS.foreignGithub },
    });
    // A person pastes the corpus into a status update.
    await bot.command(`update ${alerted} identified ${TYPED.join(' ')}`, { user: 'U0OWNER' });
    await waitFor(
      async () => (await incidentJson(bot, alerted)).timeline.some((e: any) => e.kind === 'status_update'),
      'status update stored',
    );

    // Runner output: the rollback script prints the corpus.
    await confirmSeverity(bot, alerted);
    const requestId = await propose(bot, alerted);
    expect(await decide(bot, 'approve', requestId, 'U0APPROVER')).toMatch(/Approved/);
    await waitFor(async () => (await request(bot, requestId))!.status === 'succeeded', 'rollback ran', 15_000);
    await waitFor(
      async () => (await incidentJson(bot, alerted)).timeline.some((e: any) => e.kind === 'rollback_succeeded'),
      'timeline written',
    );
    // The GitHub issues and their timeline comments for both incidents.
    await waitFor(() => github.issues.size >= 2, 'both GitHub issues', 10_000);
    await waitFor(
      () => [...github.issues.values()].some((i) => i.comments.some((c) => /rollback/i.test(c.body))),
      'the rollback on the GitHub issue',
      15_000,
    );

    const timelines = JSON.stringify([await incidentJson(bot, alerted), await incidentJson(bot, webhooked)]);
    expect(timelines).toContain('[redacted]');
    expect(timelines).toContain('done');
    const redis = await storedInRedis();
    expect(redis).toContain('[redacted]');
    const evidence: string[] = [];
    for (const id of [alerted, webhooked]) {
      const res = await bot.api(`/api/incidents/${id}/evidence?format=json`);
      expect(res.status).toBe(200);
      evidence.push(JSON.stringify(res.json));
    }
    expect(evidence.join('')).toContain('[redacted]');
    const slack = JSON.stringify(bot.slack.calls);
    expect(slack).toContain('[redacted]');
    const onGitHub = JSON.stringify({
      issues: [...github.issues.values()],
      files: [...github.files.values()].map((m) => [...m.values()]),
      commits: github.commits,
    });
    expect(onGitHub).toContain('[redacted]');
    const logs = bot.logs.join('');
    for (const [name, secret] of Object.entries(SECRETS)) {
      expect(timelines, `${name} in the timeline (read API)`).not.toContain(secret);
      expect(redis, `${name} stored in Redis`).not.toContain(secret);
      expect(evidence.join(''), `${name} in the evidence bundle`).not.toContain(secret);
      expect(slack, `${name} sent to Slack`).not.toContain(secret);
      expect(onGitHub, `${name} on GitHub`).not.toContain(secret);
      expect(logs, `${name} in the logs`).not.toContain(secret);
    }
    for (const text of [timelines, redis, evidence.join('')]) {
      expect(text).not.toMatch(/\\u001b|\\u0007|\\u0000/);
    }
  });
});
