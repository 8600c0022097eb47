import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INPUTS, VIEWS } from '../../../src/adapters/outbound/slack/ids';
import { GitHubIssuesStandIn } from '../../support/github-issues-stand-in';
import { deliverEvent } from '../../support/slack-requests';
import { startBot, waitFor, type RunningBot } from '../../support/start-bot';

const GITHUB_TOKEN = 'ghp_private_incident_test';
const FAST_GITHUB = { pacing: false, request_retries: 1, retry_base: '5ms', request_timeout: '2s', max_retry_after: '5s' };
const RESPONSE = 'C0INCIDENT';
// What must never reach #incident-response, the read API or an outsider's screen.
const SECRETS = ['Payroll', 'payroll', 'SSN', 'ssn-export', 'Salary', 'salary'];

const leaks = (what: unknown) => SECRETS.filter((s) => JSON.stringify(what).includes(s));

async function ask(bot: RunningBot, text: string, user = 'U0OPENER'): Promise<Record<string, any>> {
  const { responseId } = await bot.command(text, { user });
  return waitFor(() => bot.replies(responseId)[0], `answer to ${text}`);
}

const idIn = (text: string) => /INC-\d{8}-\d{3}/.exec(text)![0];
const inChannel = (bot: RunningBot, channel: string) => bot.slack.messages.filter((m) => m.channel === channel);

const openHome = (bot: RunningBot, user: string) =>
  deliverEvent(bot.baseUrl, { type: 'app_home_opened', user, channel: 'D0', tab: 'home' });

describe('private incidents, with a private repository for their paper trail', () => {
  let bot: RunningBot;
  let github: GitHubIssuesStandIn;
  beforeAll(async () => {
    github = await GitHubIssuesStandIn.start({ token: GITHUB_TOKEN, owner: 'acme', repo: 'incidents-private' });
    bot = await startBot({
      // No public repository: only private incidents have somewhere to go on GitHub.
      env: { GITHUB_TOKEN, GITHUB_API_URL: github.url },
      file: {
        services: [{ name: 'payroll-api', owners: ['U0OWNER'] }],
        paper_trail: { private_repository: 'acme/incidents-private', github: FAST_GITHUB },
        app_home: { refresh_every: '200ms', viewer_ttl: '1m' },
      },
    });
  });
  afterAll(async () => {
    await bot?.stop();
    await github?.close();
  });

  it('/incident open --private: the detail goes to a private channel, #incident-response hears only that one is open', {
    timeout: 20_000,
  }, async () => {
    const answer = await ask(bot, 'open --private P1 Payroll ssn-export leaked');
    expect(answer.text).toMatch(/^Opened private incident \*INC-\d{8}-\d{3}\* \[P1\] Payroll ssn-export leaked\./);
    const id = idIn(answer.text);

    const created = bot.slack.callsTo('conversations.create').at(-1)!;
    expect(String(created.args.is_private)).toBe('true');
    // The channel's name tells nothing either.
    expect(leaks(created.args.name)).toEqual([]);
    const incident = await waitFor(async () => {
      const stored = await bot.bot.store.get(id);
      return stored?.channel && stored.announcement ? stored : null;
    }, 'private channel and announcement');
    expect(bot.slack.channelById(incident.channel!.id)?.is_private).toBe(true);
    expect(bot.slack.members.get(incident.channel!.id)?.has('U0OPENER')).toBe(true);

    const announcement = inChannel(bot, RESPONSE).find((m) => m.ts === incident.announcement!.ts)!;
    expect(JSON.stringify(announcement.blocks)).toContain('Private incident');
    expect(JSON.stringify(announcement.blocks)).toContain('P1');
    expect(announcement.blocks!.some((b: any) => b.type === 'actions')).toBe(false);
    expect(
      inChannel(bot, incident.channel!.id)
        .map((m) => m.text)
        .join('\n'),
    ).toContain('Payroll ssn-export leaked');

    // A status update stays inside; the announcement shows the new status only.
    expect((await ask(bot, `update ${id} identified Salary file pulled from the bucket`)).text).toContain('Update posted');
    await waitFor(
      () => inChannel(bot, incident.channel!.id).find((m) => JSON.stringify(m).includes('Salary file pulled')),
      'the update in the private channel',
    );
    await waitFor(
      () => JSON.stringify(bot.slack.messages.find((m) => m.ts === incident.announcement!.ts)?.blocks).includes('Identified'),
      'the announcement redrawn with the status',
    );

    // Resolved: #incident-response gets a content-free message; the resolution stays inside.
    await ask(bot, `resolve ${id} revoked the payroll bucket link --override "contained by revoking the link"`);
    await waitFor(() => inChannel(bot, RESPONSE).find((m) => m.thread_ts && m.text.includes('resolved')), 'the resolved message outside');
    await waitFor(
      () => inChannel(bot, incident.channel!.id).find((m) => JSON.stringify(m).includes('revoked the payroll bucket link')),
      'the resolution inside',
    );
    await bot.bot.publisher.idle(5_000);
    expect(leaks(inChannel(bot, RESPONSE))).toEqual([]);

    // The read API: no title, no summary, no timeline text; marked private.
    const read = await bot.api(`/api/incidents/${id}`);
    expect(read.status).toBe(200);
    expect(read.json.private).toBe(true);
    expect('title' in read.json).toBe(false);
    expect('summary' in read.json).toBe(false);
    expect(leaks(read.json)).toEqual([]);
    expect(leaks((await bot.api('/api/incidents?status=all')).json)).toEqual([]);

    // Its GitHub issue is in the private repository, with the title.
    const linked = await waitFor(async () => (await bot.bot.store.get(id))?.github, 'GitHub issue in the private repository', 10_000);
    expect(github.issues.get(linked.issueNumber)!.title).toContain('Payroll ssn-export leaked');
  });

  it('/incident list, /incident show and App Home show a private incident by name only to the people in it', {
    timeout: 20_000,
  }, async () => {
    const id = idIn((await ask(bot, 'open --private P2 Salary table readable by contractors')).text);
    const outsiderList = await ask(bot, 'list', 'U0OUTSIDER');
    expect(JSON.stringify(outsiderList.blocks)).toContain(`*${id}* [P2] Private incident`);
    expect(leaks(outsiderList)).toEqual([]);
    expect(JSON.stringify((await ask(bot, 'list', 'U0OPENER')).blocks)).toContain('Salary table readable by contractors');

    const outsiderShow = await ask(bot, `show ${id}`, 'U0OUTSIDER');
    expect(outsiderShow.text).toContain(`${id} is a private incident`);
    expect(leaks(outsiderShow)).toEqual([]);
    expect(JSON.stringify(await ask(bot, `show ${id}`, 'U0OPENER'))).toContain('Salary table readable by contractors');

    await openHome(bot, 'U0OUTSIDER');
    await openHome(bot, 'U0OPENER');
    const home = (user: string) =>
      waitFor(
        () =>
          bot.slack
            .callsTo('views.publish')
            .filter((c) => c.args.user_id === user)
            .find((c) => JSON.stringify(c.args.view).includes(id)),
        `App Home of ${user} with ${id}`,
      );
    const outside = await home('U0OUTSIDER');
    expect(JSON.stringify(outside.args.view)).toContain('Private incident');
    expect(leaks(outside.args.view)).toEqual([]);
    expect(JSON.stringify((await home('U0OPENER')).args.view)).toContain('Salary table readable by contractors');
  });

  it('the Private incident box in the open form: the service owners are let into the private channel, the summary stays inside', {
    timeout: 20_000,
  }, async () => {
    const viewsBefore = bot.slack.callsTo('views.open').length;
    await bot.command('open --private', { user: 'U0OPENER' });
    const form = await waitFor(() => bot.slack.callsTo('views.open')[viewsBefore], 'the open form');
    const box = form.args.view.blocks.find((b: any) => b.block_id === INPUTS.private.block);
    expect(box.element.initial_options).toEqual([expect.objectContaining({ value: 'yes' })]);

    const res = await bot.submitView(
      VIEWS.open,
      {
        [INPUTS.title.block]: { [INPUTS.title.action]: { type: 'plain_text_input', value: 'Payroll run paid twice' } },
        [INPUTS.severity.block]: { [INPUTS.severity.action]: { type: 'static_select', selected_option: { value: 'P0' } } },
        [INPUTS.service.block]: { [INPUTS.service.action]: { type: 'static_select', selected_option: { value: 'payroll-api' } } },
        [INPUTS.summary.block]: { [INPUTS.summary.action]: { type: 'plain_text_input', value: 'Salary sent twice to 40 people' } },
        [INPUTS.createChannel.block]: { [INPUTS.createChannel.action]: { type: 'checkboxes', selected_options: [] } },
        [INPUTS.private.block]: { [INPUTS.private.action]: { type: 'checkboxes', selected_options: [{ value: 'yes' }] } },
      },
      { user: 'U0OPENER' },
    );
    expect(res.status).toBe(200);
    const incident = await waitFor(async () => {
      const all = await bot.bot.store.listOpen();
      const found = all.find((i) => i.title === 'Payroll run paid twice');
      return found?.channel && found.announcement ? found : null;
    }, 'the private incident from the form');
    expect(incident.private).toBeTruthy();
    const members = bot.slack.members.get(incident.channel!.id);
    expect(members?.has('U0OPENER')).toBe(true);
    expect(members?.has('U0OWNER')).toBe(true);
    await waitFor(
      () => inChannel(bot, incident.channel!.id).find((m) => m.text.includes('Salary sent twice to 40 people')),
      'the summary in the private channel',
    );
    await bot.bot.publisher.idle(5_000);
    expect(leaks(inChannel(bot, RESPONSE))).toEqual([]);
  });

  it('a public incident on this bot gets no GitHub issue (no public repository), so the private one did not go there by accident', async () => {
    const id = idIn((await ask(bot, 'open P3 status page typo')).text);
    const api = await bot.api(`/api/incidents/${id}`);
    expect(api.json).toMatchObject({ private: false, title: 'status page typo' });
    expect([...github.issues.values()].some((i) => i.title.includes('status page typo'))).toBe(false);
  });

  it('a near miss of --private, or --private on another subcommand, is answered and changes nothing', async () => {
    const before = (await bot.bot.store.listOpen()).length;
    const typo = await ask(bot, 'open --privat P1 Payroll export');
    expect(typo.text).toContain('Unknown option "--privat". Did you mean `--private`?');
    expect(typo.text).toContain('Nothing was opened.');
    const stray = await ask(bot, 'note --private Payroll export');
    expect(stray.text).toContain('`--private` goes with `/incident open` only');
    expect((await bot.bot.store.listOpen()).length).toBe(before);
  });
});

describe('private incidents without a private repository', () => {
  let bot: RunningBot;
  let github: GitHubIssuesStandIn;
  beforeAll(async () => {
    github = await GitHubIssuesStandIn.start({ token: GITHUB_TOKEN });
    bot = await startBot({
      env: { GITHUB_TOKEN, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_API_URL: github.url },
      file: { services: [{ name: 'checkout' }], paper_trail: { github: FAST_GITHUB } },
    });
  });
  afterAll(async () => {
    await bot?.stop();
    await github?.close();
  });

  it('gets no GitHub issue (never one in the public repository), and its timeline says why', { timeout: 20_000 }, async () => {
    const id = idIn((await ask(bot, 'open --private P1 Payroll ssn-export leaked')).text);
    const publicId = idIn((await ask(bot, 'open P2 checkout slow')).text);
    await waitFor(async () => (await bot.bot.store.get(publicId))?.github, 'the public incident issue', 10_000);
    const skipped = await waitFor(
      async () => (await bot.bot.store.timeline(id)).find((e) => e.kind === 'github_skipped'),
      'the skip on the timeline',
      10_000,
    );
    expect(skipped.text).toContain('paper_trail.private_repository');
    expect((await bot.bot.store.get(id))?.github ?? null).toBeNull();
    expect(leaks([...github.issues.values()])).toEqual([]);
  });
});
