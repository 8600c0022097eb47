import type { Config } from '../../config/load-config';
import type { CheckSpec, RunnerSpec } from '../../domain/rollback/rollback-plan';
import type { ConfigWarning } from './config-warning';

/** What the checks may ask about files; the local file system in production (local-file-probe.ts). */
export interface FileProbe {
  /** 'missing' | 'not_executable' | 'ok' for a program as a runner would start it. */
  program(argv0: string, cwd: string | undefined): 'missing' | 'not_executable' | 'ok';
  exists(path: string, cwd: string | undefined): boolean;
}

/**
 * The checks that need no network: approvers against the P0 two-approver rule, scripts a
 * runner or check would start, plans without verification (gate 3 would then need an
 * override every time), services nobody owns. User groups count as "maybe enough" here; the
 * Slack checks count their members.
 */
export function findConfigWarnings(config: Config, files: FileProbe): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  config.services.forEach((service, i) => {
    const at = `services[${i}] (${service.name})`;
    if (service.owners.length === 0 && !service.user_group)
      warnings.push({
        code: 'no_owners',
        where: at,
        message: 'no owners: nobody is mentioned for this service when a rollback needs a person (set owners or user_group)',
      });
    const rollback = service.rollback;
    if (!rollback) return;
    const { users, groups } = rollback.approvers;
    if (users.length === 0 && groups.length === 0) {
      warnings.push({
        code: 'no_approvers',
        where: `${at}.rollback.approvers`,
        message: 'nobody may approve this rollback: list Slack user ids or user group ids',
      });
    } else if (rollback.twoApproversForP0 && groups.length === 0 && new Set(users).size < 2) {
      warnings.push({
        code: 'approvers_short',
        where: `${at}.rollback.approvers`,
        message: `two_approvers_for_p0 needs two distinct approvers, but only ${new Set(users).size} is listed: a P0 rollback can never be approved`,
      });
    }
    if (rollback.plan.verification.length === 0) {
      warnings.push({
        code: 'no_verification',
        where: `${at}.rollback.verification`,
        message: 'no verification checks: recovery is never validated, so every resolve after this rollback needs --override (gate 3)',
      });
    }
    rollback.plan.runners.forEach((runner, r) => {
      warnings.push(...programWarnings(runner, `${at}.rollback.runners[${r}]`, files));
    });
    rollback.plan.readiness.forEach((check, c) => {
      warnings.push(...checkWarnings(check, `${at}.rollback.readiness[${c}]`, files));
    });
    rollback.plan.verification.forEach((check, c) => {
      warnings.push(...checkWarnings(check, `${at}.rollback.verification[${c}]`, files));
    });
  });
  return warnings;
}

function programWarnings(spec: RunnerSpec | CheckSpec, where: string, files: FileProbe): ConfigWarning[] {
  if (spec.kind !== 'command') return [];
  const program = spec.argv[0]!;
  // A placeholder in the program itself is only known at run time.
  if (program.includes('{')) return [];
  const state = files.program(program, spec.cwd);
  if (state === 'missing')
    return [
      {
        code: 'script_missing',
        where,
        message: `${program} does not exist${program.includes('/') ? " (relative paths are from the bot's working directory or the runner's cwd)" : ' on PATH'}: this runner will fail`,
      },
    ];
  if (state === 'not_executable')
    return [{ code: 'script_not_executable', where, message: `${program} is not executable (chmod +x): this runner will fail` }];
  return [];
}

function checkWarnings(check: CheckSpec, where: string, files: FileProbe): ConfigWarning[] {
  if (check.kind === 'file_exists' && !check.path.includes('{') && !files.exists(check.path, undefined)) {
    return [{ code: 'file_missing', where, message: `${check.path} does not exist: this readiness check fails and blocks the rollback` }];
  }
  return programWarnings(check, where, files);
}
