import { expandArgv, expandJson, expandRecord } from './expand-placeholders';
import type { CheckSpec, RunnerSpec } from './rollback-plan';

/**
 * What a runner will do, in one line for the people approving it: the argv as it will be
 * executed, the workflow and inputs it will dispatch, or the hook it will call. Placeholders
 * are filled in as they will be; one that cannot be is shown as written, with the reason.
 */
export function describeRunner(spec: RunnerSpec, placeholders: Record<string, string>): string {
  switch (spec.kind) {
    case 'command': {
      const argv = expandArgv(spec.argv, placeholders);
      const shown = (argv.ok ? argv.value : spec.argv).map(quoteArg).join(' ');
      return `command \`${shown}\`${spec.cwd ? ` in ${spec.cwd}` : ''}${argv.ok ? '' : ` (${argv.reason})`}`;
    }
    case 'github_actions': {
      const inputs = expandRecord(spec.inputs, placeholders);
      const pairs = Object.entries(inputs.ok ? inputs.value : spec.inputs).map(([k, v]) => `${k}=${v}`).join(', ');
      return `GitHub Actions ${spec.owner}/${spec.repo} workflow \`${spec.workflow}\` on ${spec.ref}${pairs ? ` with ${pairs}` : ''}${inputs.ok ? '' : ` (${inputs.reason})`}`;
    }
    case 'http': {
      const body = spec.body ? expandJson(spec.body, placeholders) : null;
      return `HTTP POST ${spec.url}${body?.ok ? ` body \`${JSON.stringify(body.value)}\`` : ''}`;
    }
  }
}

function quoteArg(arg: string): string {
  return /^[A-Za-z0-9_./:=@+-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

/** Placeholders the plan uses that the context cannot fill: refused before anything is proposed. */
export function missingPlaceholders(specs: readonly (RunnerSpec | CheckSpec)[], placeholders: Record<string, string>): string[] {
  const texts: string[] = [];
  for (const spec of specs) {
    if (spec.kind === 'command') texts.push(...spec.argv);
    else if (spec.kind === 'github_actions') texts.push(...Object.values(spec.inputs));
    else if (spec.kind === 'http' && 'body' in spec && spec.body) texts.push(JSON.stringify(spec.body));
    else if (spec.kind === 'file_exists') texts.push(spec.path);
  }
  const used = texts.flatMap((t) => [...t.matchAll(/\{([a-z_][a-z0-9_]*)\}/g)].map((m) => m[1]!));
  return [...new Set(used.filter((name) => !Object.hasOwn(placeholders, name)))];
}
