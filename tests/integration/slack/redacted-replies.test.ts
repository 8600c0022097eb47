import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, TEST_API_TOKEN, waitFor, type RunningBot } from '../../support/start-bot';

// A person pastes a token into a command: the answer they get (in the slash command's own reply
// or later through response_url) shows [redacted], never the token or a cut of it.
const FOREIGN_SLACK = 'xoxb-999999999999-8888888888888-ForeignSlackTokenValue';
const FOREIGN_GITHUB = 'ghp_foreignGithubTokenValue0123456789abcdef';

let bot: RunningBot;
beforeAll(async () => {
  bot = await startBot({});
});
afterAll(async () => {
  await bot?.stop();
});

async function answer(text: string): Promise<string> {
  const res = await bot.command(text);
  const reply = await waitFor(() => bot.replies(res.responseId)[0], `reply to ${text.slice(0, 20)}`);
  return JSON.stringify(reply);
}

describe('replies to a person are redacted like every other exit', () => {
  it.each([
    ['an id that is a token', `show ${FOREIGN_SLACK}`, 'xoxb-'],
    ['an unknown subcommand that is a token', `${FOREIGN_GITHUB} now`, 'ghp_'],
    ['a configured secret as the subcommand', `${TEST_API_TOKEN}`, TEST_API_TOKEN.slice(0, 12)],
    ['a token where the role goes', `role ${FOREIGN_GITHUB} <@U0BOB>`, 'ghp_'],
  ])('%s', async (_name, text, leak) => {
    const reply = await answer(text);
    expect(reply).toContain('[redacted]');
    expect(reply).not.toContain(leak);
  });

  it('an incident opened with a token in its title answers with the title redacted', async () => {
    const reply = await answer(`open P2 checkout down ${FOREIGN_SLACK}`);
    expect(reply).toMatch(/Opened \*INC-\d{8}-\d{3}\* \[P2\] checkout down \[redacted\]/);
    expect(reply).not.toContain('xoxb-');
  });
});
