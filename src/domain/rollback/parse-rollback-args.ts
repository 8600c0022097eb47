import { refuse, type Result } from '../result';

export interface RollbackArgs {
  /** null: the incident's own service. */
  service: string | null;
  release: string | null;
  dryRun: boolean;
}

const MAX_RELEASE = 100;
// Releases become one argv element or one JSON string (never shell text); this only keeps
// Slack formatting and control characters out of the plan people approve.
const RELEASE = /^[A-Za-z0-9][A-Za-z0-9._:+@/-]*$/;

/**
 * `[service] [release] [--dry-run]` after `/incident rollback [id]`. A first word naming a
 * configured service is the service; otherwise it is the release of the incident's service.
 */
export function parseRollbackArgs(text: string, serviceNames: readonly string[]): Result<{ args: RollbackArgs }> {
  const words = text.split(/\s+/).filter(Boolean);
  let dryRun = false;
  const rest: string[] = [];
  for (const word of words) {
    if (word === '--dry-run' || word === '—dry-run')
      dryRun = true; // Slack turns -- into an em dash on some clients
    else if (word.startsWith('--') || word.startsWith('—'))
      return refuse('rollback.unknown_flag', `Unknown option "${word.slice(0, 30)}"; the only option is --dry-run.`);
    else rest.push(word);
  }
  let service: string | null = null;
  if (rest.length && serviceNames.includes(rest[0]!.toLowerCase())) service = rest.shift()!.toLowerCase();
  if (rest.length > 1 && service === null) {
    return refuse(
      'rollback.unknown_service',
      `"${rest[0]!.slice(0, 40)}" is not a service with a rollback plan (${serviceNames.join(', ') || 'none configured'}).`,
    );
  }
  if (rest.length > 1)
    return refuse('rollback.too_many_args', 'Usage: `/incident rollback [incident id] [service] [release] [--dry-run]`.');
  const release = rest[0] ?? null;
  if (release !== null && (release.length > MAX_RELEASE || !RELEASE.test(release))) {
    return refuse(
      'rollback.bad_release',
      `"${release.slice(0, 40)}" is not a release name (letters, digits and . _ : + @ / -, at most ${MAX_RELEASE}).`,
    );
  }
  return { ok: true, args: { service, release, dryRun } };
}
