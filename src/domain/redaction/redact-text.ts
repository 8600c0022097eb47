/** What replaces a secret wherever it is found. */
export const REDACTED = '[redacted]';

/** Values shorter than this are not redacted by value: replacing every "1" or "yes" would shred the text. */
export const MIN_SECRET_LENGTH = 4;

/**
 * Secrets recognisable by their shape, whoever's they are (a foreign token printed by a script
 * is as dangerous as ours). Each keeps what says what it was, and drops the secret part.
 */
export const SECRET_PATTERNS: ReadonlyArray<{ name: string; pattern: RegExp; replace: string }> = [
  { name: 'url userinfo', pattern: /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:"'<>]+(?::[^\s/@"'<>]*)?@/gi, replace: `$1${REDACTED}@` },
  {
    name: 'authorization header',
    pattern: /\b(authorization["']?\s*[:=]\s*["']?)(?:(bearer|basic|token|digest)\s+)?[^\s"',;]+/gi,
    replace: `$1$2 ${REDACTED}`,
  },
  { name: 'bearer value', pattern: /\b(bearer)\s+[A-Za-z0-9._~+/-]+=*/gi, replace: `$1 ${REDACTED}` },
  { name: 'pagerduty rest token', pattern: /\b(token\s+token=)[A-Za-z0-9+_-]+/gi, replace: `$1${REDACTED}` },
  { name: 'slack token', pattern: /\bxox[abposer]-[A-Za-z0-9-]{8,}/g, replace: REDACTED },
  { name: 'slack app token', pattern: /\bxapp-\d-[A-Za-z0-9-]{8,}/g, replace: REDACTED },
  { name: 'github token', pattern: /\bgh[pousr]_[A-Za-z0-9]{30,}/g, replace: REDACTED },
  { name: 'github fine-grained token', pattern: /\bgithub_pat_[A-Za-z0-9_]{20,}/g, replace: REDACTED },
  { name: 'aws access key id', pattern: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[A-Z0-9]{16}\b/g, replace: REDACTED },
  { name: 'aws secret access key', pattern: /\b(aws_secret_access_key["']?\s*[:=]\s*["']?)[A-Za-z0-9/+]{40}/gi, replace: `$1${REDACTED}` },
  { name: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}/g, replace: REDACTED },
  {
    name: 'pagerduty routing key',
    pattern: /\b((?:routing|integration|service)_key["']?\s*[:=]\s*["']?)[A-Za-z0-9]{20,}/gi,
    replace: `$1${REDACTED}`,
  },
];

/**
 * Redacts by value (every configured secret, longest first so a secret containing another is
 * hidden whole) and then by shape. Pure; used for logs, runner output, and text that is stored
 * or leaves the bot.
 */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  const values = [...new Set(secrets.filter((s) => s.length >= MIN_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
  for (const secret of values) out = out.split(secret).join(REDACTED);
  for (const { pattern, replace } of SECRET_PATTERNS) out = out.replace(pattern, replace);
  return out;
}

// CSI (colours, cursor moves), OSC (titles, hyperlinks) and two-byte escapes.
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;
// Control bytes other than newline and tab (C0, DEL, C1); a carriage return included.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Output as a person should read it, and as Slack and GitHub can show it: no escapes, no control bytes. */
export function stripControl(text: string): string {
  return text.replace(ANSI, '').replace(CONTROL, '');
}
