import { RUNNER_KINDS, runnerKindOf } from './runner-kinds';
import type { CheckSpec, RunnerSpec } from './rollback-plan';

/** What a runner will do, in one line for the people approving it (each kind says it in runner-kinds.ts). */
export function describeRunner(spec: RunnerSpec, placeholders: Record<string, string>): string {
  return runnerKindOf(spec).describe(spec, placeholders);
}

/** Placeholders the plan uses that the context cannot fill: refused before anything is proposed. */
export function missingPlaceholders(specs: readonly (RunnerSpec | CheckSpec)[], placeholders: Record<string, string>): string[] {
  const texts: string[] = [];
  for (const spec of specs) {
    if (spec.kind in RUNNER_KINDS) texts.push(...runnerKindOf(spec as RunnerSpec).templated(spec as RunnerSpec));
    else if (spec.kind === 'http' && 'body' in spec && spec.body) texts.push(JSON.stringify(spec.body));
    else if (spec.kind === 'file_exists') texts.push(spec.path);
  }
  const used = texts.flatMap((t) => [...t.matchAll(/\{([a-z_][a-z0-9_]*)\}/g)].map((m) => m[1]!));
  return [...new Set(used.filter((name) => !Object.hasOwn(placeholders, name)))];
}
