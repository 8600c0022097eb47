import { VIEWS } from '../../../src/adapters/outbound/slack/ids';
import { GitHubIssuesStandIn, type StoredIssue } from '../../support/github-issues-stand-in';
import { startBot, waitFor, type RunningBot, type StartBotOptions } from '../../support/start-bot';

export const GITHUB_TOKEN = 'ghp_paper_trail_test';

/** Test-sized GitHub client: no pacing, one quick retry, short timeouts (production keeps the defaults). */
export const FAST_GITHUB = { pacing: false, request_retries: 1, retry_base: '5ms', request_timeout: '2s', max_retry_after: '5s' };

export interface PaperBot extends RunningBot {
  github: GitHubIssuesStandIn;
  reply(responseId: string): Promise<Record<string, any>>;
  /** Runs a command and waits for its ephemeral answer. */
  ask(text: string, user?: string): Promise<string>;
  open(text?: string): Promise<string>;
  incident(id: string): Promise<any>;
  /** The incident's GitHub issue, once the sync created and linked it. */
  issueOf(id: string): Promise<StoredIssue>;
  submitReport(id: string, fields?: Partial<Record<keyof typeof REPORT_FIELDS, string>>, user?: string): Promise<void>;
}

export { REPORT_FIELDS, reportValues } from '../../support/report-form';
import { type REPORT_FIELDS, reportValues } from '../../support/report-form';

/** A bot wired to a GitHub stand-in (unless `github: false`), with gates on unless told otherwise. */
export async function startPaperBot(
  options: { file?: Record<string, unknown>; github?: boolean; env?: Record<string, string>; standIn?: GitHubIssuesStandIn } = {},
): Promise<PaperBot> {
  const github = options.standIn ?? (await GitHubIssuesStandIn.start({ token: GITHUB_TOKEN }));
  const file = options.file ?? {};
  const start: StartBotOptions = {
    env: {
      ...(options.github === false
        ? {}
        : { GITHUB_TOKEN, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_API_URL: github.url }),
      ...options.env,
    },
    file: {
      services: [{ name: 'checkout', owners: ['U0ALICE'] }],
      alerts: { slack_min_interval: '20ms' },
      ...file,
      paper_trail: { ...(file.paper_trail as object), github: FAST_GITHUB },
    },
  };
  const bot = await startBot(start);
  const reply = (responseId: string) => waitFor(() => bot.replies(responseId)[0], `reply ${responseId}`);
  const paper: PaperBot = Object.assign(bot, {
    github,
    reply,
    async ask(text: string, user = 'U0ALICE') {
      return (await reply((await bot.command(text, { user })).responseId)).text as string;
    },
    async open(text = 'open P1 checkout errors') {
      const answer = await paper.ask(text);
      return /INC-\d{8}-\d{3}/.exec(answer)![0];
    },
    async incident(id: string) {
      return (await bot.api(`/api/incidents/${id}`)).json;
    },
    async issueOf(id: string) {
      const stored = await waitFor(async () => (await bot.bot.store.get(id))?.github, `GitHub issue of ${id}`, 10_000);
      const issue = github.issues.get(stored.issueNumber)!;
      return issue;
    },
    async submitReport(id: string, fields = {}, user = 'U0ALICE') {
      await bot.submitView(VIEWS.report, reportValues(fields), { privateMetadata: JSON.stringify({ incidentId: id }), user });
      await waitFor(async () => (await bot.bot.store.timeline(id)).some((e) => e.kind === 'report_written'), 'report written');
    },
  });
  const stop = bot.stop.bind(bot);
  paper.stop = async (opts) => {
    await stop(opts);
    if (!options.standIn) await github.close();
  };
  return paper;
}

export { waitFor };
