import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SIGNING_SECRET } from '../../support/slack-requests';
import { TEST_API_TOKEN, waitFor, type RunningBot } from '../../support/start-bot';
import {
  ALERT_TOKEN,
  confirmSeverity,
  decide,
  incidentJson,
  openIncident,
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

let bot: RunningBot;
beforeAll(async () => {
  writeFileSync(
    corpusFile,
    [
      `\u001b[31mSIGNING=${SECRETS.signingSecret}\u001b[0m`,
      `api ${SECRETS.apiToken} alert ${SECRETS.alertToken}`,
      `pd ${SECRETS.pagerDutyToken} gh ${SECRETS.githubToken} env ${SECRETS.runnerEnv}`,
      `foreign ${SECRETS.foreignSlack} ${SECRETS.foreignGithub} ${SECRETS.foreignFineGrained}`,
      `aws ${SECRETS.aws} jwt ${SECRETS.jwt}`,
      `curl -H "Authorization: Bearer ${SECRETS.bearer}" https://deploy:${SECRETS.urlPassword}@deploy.example.com/`,
      'bell\u0007 nul\u0000 done',
    ].join('\n'),
  );
  bot = await startRollbackBot(
    files.log,
    { runners: [{ kind: 'command', name: 'leaky', argv: ['/bin/cat', corpusFile], env: { DEPLOY_TOKEN }, timeout: '30s' }], readiness: [] },
    { env: { PAGERDUTY_TOKEN: SECRETS.pagerDutyToken, GITHUB_TOKEN: SECRETS.githubToken } },
  );
});
afterAll(async () => bot?.stop());

describe('a rollback script printing 13 secrets', () => {
  it('none reaches the timeline, the evidence records, anything stored in Redis, Slack, or the logs; control bytes are gone', async () => {
    const id = await openIncident(bot);
    await confirmSeverity(bot, id);
    const requestId = await propose(bot, id);
    expect(await decide(bot, 'approve', requestId, 'U0APPROVER')).toMatch(/Approved/);
    await waitFor(async () => (await request(bot, requestId))!.status === 'succeeded', 'rollback ran', 15_000);
    await waitFor(async () => (await incidentJson(bot, id)).timeline.some((e: any) => e.kind === 'rollback_succeeded'), 'timeline written');

    const timeline = JSON.stringify(await incidentJson(bot, id));
    expect(timeline).toContain('[redacted]');
    expect(timeline).toContain('done');
    const stored: string[] = [];
    for (const key of await bot.bot.redis.keys(`${bot.prefix}*`)) {
      const type = await bot.bot.redis.type(key);
      if (type === 'string') stored.push((await bot.bot.redis.get(key)) ?? '');
      else if (type === 'list') stored.push(...(await bot.bot.redis.lrange(key, 0, -1)));
      else if (type === 'hash') stored.push(JSON.stringify(await bot.bot.redis.hgetall(key)));
      else if (type === 'zset') stored.push(...(await bot.bot.redis.zrange(key, 0, -1)));
    }
    const evidence = stored.join('\n');
    expect(evidence).toContain('[redacted]');
    const slack = JSON.stringify(bot.slack.calls);
    const logs = bot.logs.join('');
    for (const [name, secret] of Object.entries(SECRETS)) {
      expect(timeline, `${name} in the timeline`).not.toContain(secret);
      expect(evidence, `${name} stored in Redis`).not.toContain(secret);
      expect(slack, `${name} sent to Slack`).not.toContain(secret);
      expect(logs, `${name} in the logs`).not.toContain(secret);
    }
    for (const text of [timeline, evidence]) {
      expect(text).not.toMatch(/\\u001b|\\u0007|\\u0000/);
    }
  });
});
