import { describe, expect, it } from 'vitest';
import { redactText, stripControl } from '../../../src/domain/redaction/redact-text';

const cases: Array<[string, string, string]> = [
  ['a Slack bot token', 'token is xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx ok', 'xoxb-'],
  ['a Slack user token', 'xoxp-1111111111-2222222222-abcdefabcdef', 'xoxp-'],
  ['a Slack app token', 'xapp-1-A0123ABCD-1234567890-abcdef0123456789', 'xapp-'],
  ['a GitHub classic token', 'GITHUB=ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'ghp_'],
  ['a GitHub OAuth token', 'gho_abcdefghijklmnopqrstuvwxyz0123456789', 'gho_'],
  ['a GitHub fine-grained token', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz', 'github_pat_'],
  ['an AWS access key id', 'aws key AKIAIOSFODNN7EXAMPLE here', 'AKIAIOSFODNN7EXAMPLE'],
  ['an AWS secret key', 'aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'wJalrXUtnFEMI'],
  ['a JWT', 'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', 'eyJzdWIi'],
  ['a Bearer value', 'curl -H "Authorization: Bearer s3cr3t-bearer-value"', 's3cr3t-bearer-value'],
  ['a bare Bearer value', 'using Bearer abc.def-ghi_jkl', 'abc.def-ghi_jkl'],
  ['a PagerDuty REST token', 'Authorization: Token token=y_NbAkKc66ryYTWUXYEu', 'y_NbAkKc66ryYTWUXYEu'],
  ['a PagerDuty routing key', '{"routing_key": "R0123456789ABCDEF0123456789ABCDE"}', 'R0123456789ABCDEF'],
  ['a URL password', 'git clone https://deploy:hunter2pass@git.example.com/repo.git', 'hunter2pass'],
  ['a URL user alone', 'redis://admin@redis.example.com:6379', 'admin@'],
];

describe('redactText by shape', () => {
  it.each(cases)('%s', (_name, text, secret) => {
    const out = redactText(text);
    expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
  });

  it('keeps ordinary text, ids and URLs without userinfo', () => {
    const text = 'INC-20261121-001 rolled back checkout to v41; see https://github.com/org/repo/actions/runs/123 (U0ALICE)';
    expect(redactText(text)).toBe(text);
  });
});

describe('redactText by value', () => {
  it('hides every configured secret, longest first, and ignores very short ones', () => {
    expect(redactText('a=abcd-secret b=abcd-secret-longer c=yes', ['abcd-secret', 'abcd-secret-longer', 'yes'])).toBe(
      'a=[redacted] b=[redacted] c=yes',
    );
  });
});

describe('stripControl', () => {
  it.each([
    ['colours', '\u001b[31mred\u001b[0m', 'red'],
    ['cursor moves and clear line', 'a\u001b[2K\u001b[1Gb', 'ab'],
    ['an OSC hyperlink', '\u001b]8;;https://x\u0007link\u001b]8;;\u0007', 'link'],
    ['a bell, backspace, NUL and carriage return', 'x\u0007\u0008\u0000y\r\n', 'xy\n'],
    ['C1 controls', 'a\u009bb', 'ab'],
    ['keeps newlines and tabs', 'a\tb\nc', 'a\tb\nc'],
  ])('%s', (_name, text, expected) => {
    expect(stripControl(text)).toBe(expected);
  });
});
