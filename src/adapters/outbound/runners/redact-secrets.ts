/** Secrets shorter than this are not redacted: replacing every "1" or "yes" would shred the output. */
export const MIN_SECRET_LENGTH = 4;

/** Replaces every occurrence of each secret by `[redacted]`, longest first so a secret containing another is hidden whole. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  const usable = [...new Set(secrets.filter((s) => s.length >= MIN_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
  let out = text;
  for (const secret of usable) out = out.split(secret).join('[redacted]');
  return out;
}
