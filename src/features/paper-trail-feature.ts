import { configuredSecrets } from '../config/configured-secrets';
import { createOctokit } from '../adapters/outbound/github/create-octokit';
import { GitHubIssueTracker } from '../adapters/outbound/github/github-issue-tracker';
import { evidenceRoutes } from '../adapters/inbound/http/evidence-routes';
import { RedisPaperTrailStore } from '../adapters/outbound/redis/redis-paper-trail-store';
import { RedisSerialRunner } from '../adapters/outbound/redis/redis-serial-runner';
import { registerPaperTrailHandlers } from '../adapters/inbound/slack/handlers/paper-trail-handlers';
import { IncidentPlacePoster } from '../adapters/outbound/slack/incident-place-poster';
import { GITHUB_SYNC_JOB, GitHubIssueSync } from '../app/paper-trail/github-issue-sync';
import { PaperTrailService } from '../app/paper-trail/paper-trail-service';
import type { Incident } from '../domain/incident';
import { checkGates } from '../domain/paper-trail/check-gates';
import type { CoreContext, Feature } from './feature';

/**
 * The paper trail: a GitHub issue per incident kept in step by jobs on the
 * shared timer engine, the incident report (Slack form → Markdown → Slack and GitHub),
 * action items as follow-up issues, the evidence bundle, and gates 3 and 4 on the
 * incident service. Without GITHUB_TOKEN and GITHUB_REPOSITORY everything but GitHub works.
 */
export function paperTrailFeature(core: CoreContext): Feature & { paperTrail: PaperTrailService } {
  const { config, redis, log: rootLog, service, timers, clock, rollbackRecords, users } = core;
  const { env } = config;
  const log = rootLog.child({ component: 'paper-trail' });
  const store = new RedisPaperTrailStore(redis, env.REDIS_PREFIX);
  const privateRepository = config.paperTrail.private_repository;
  const trackers = {
    public: env.GITHUB_TOKEN && env.GITHUB_REPOSITORY ? createTracker(core, env.GITHUB_REPOSITORY) : null,
    private: env.GITHUB_TOKEN && privateRepository ? createTracker(core, privateRepository) : null,
  };
  if (!trackers.public) log.info('GITHUB_TOKEN or GITHUB_REPOSITORY not set: no GitHub issues; reports stay in Slack and Redis');
  if (!trackers.private) log.info('paper_trail.private_repository (or GITHUB_TOKEN) not set: private incidents get no GitHub issue');

  // Slack exists only once the app is built (install); jobs run after start, so it is set by then.
  let poster: IncidentPlacePoster | null = null;
  const notify = async (incident: Incident, text: string) => {
    if (!poster || !(await poster.post(incident, text)))
      log.warn({ incidentId: incident.id, text }, 'paper-trail notice not posted in Slack');
  };
  const sync =
    trackers.public || trackers.private
      ? new GitHubIssueSync({
          service,
          paperTrail: store,
          rollbackRecords,
          trackers,
          timers,
          serial: new RedisSerialRunner(redis, env.REDIS_PREFIX),
          clock,
          log,
          commitEvidence: config.paperTrail.commit_evidence,
          notify,
          users,
        })
      : null;
  const paperTrail = new PaperTrailService({ service, paperTrail: store, rollbackRecords, sync, trackers, log, users });
  service.observe(paperTrail);
  if (config.gates.enforce) service.guard(checkGates);

  return {
    name: 'paper-trail',
    paperTrail,
    routes: evidenceRoutes(paperTrail, env.API_TOKEN, log.child({ component: 'evidence-api' }), configuredSecrets(config)),
    ...(sync ? { timerHandlers: { [GITHUB_SYNC_JOB]: sync.handle } } : {}),
    install({ app, deps, channelSetup }) {
      poster = new IncidentPlacePoster(app.client, config.channels.incident_response, log);
      registerPaperTrailHandlers(app, deps, paperTrail, poster, channelSetup);
    },
    async start() {
      if (!sync) return;
      // An incident stored just before a crash may never have enqueued its issue: catch up.
      await service.eachOpen(async (page) => {
        await Promise.all(page.filter((i) => !i.github).map((i) => sync.enqueue(i.id)));
      });
    },
  };
}

function createTracker({ config, log }: CoreContext, repository: string): GitHubIssueTracker {
  const { env, paperTrail } = config;
  const [owner, repo] = repository.split('/') as [string, string];
  const client = paperTrail.github;
  const octokit = createOctokit({
    baseUrl: env.GITHUB_API_URL,
    token: env.GITHUB_TOKEN!,
    log,
    retries: client.request_retries,
    retryBaseMs: client.retry_base,
    requestTimeoutMs: client.request_timeout,
    maxRetryAfterSeconds: Math.ceil(client.max_retry_after / 1000),
    pacing: client.pacing,
    throttleId: `incident-bot:${env.REDIS_PREFIX}`,
    secrets: configuredSecrets(config),
  });
  return new GitHubIssueTracker({
    octokit,
    owner,
    repo,
    log,
    reportMode: paperTrail.report_mode === 'pull_request' ? 'pull-request' : 'commit',
    ...(paperTrail.branch ? { reportBranch: paperTrail.branch } : {}),
    ...(paperTrail.slack_workspace_url ? { slackWorkspaceUrl: paperTrail.slack_workspace_url } : {}),
  });
}
