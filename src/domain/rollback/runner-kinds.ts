import { expandArgv, expandJson, expandRecord } from './expand-placeholders';
import type { RunnerKind, RunnerSpec } from './rollback-plan';

type SpecOf<K extends RunnerKind> = Extract<RunnerSpec, { kind: K }>;

/** What the rollback rules know about one kind of runner (the adapter that runs it is in adapters/outbound/runners). */
export interface RunnerKindRules<K extends RunnerKind> {
  /** How execution records, the report and the evidence name the kind. */
  recordKind: string;
  /** One line for the people approving: what will run, placeholders filled in as they will be. */
  describe(spec: SpecOf<K>, placeholders: Record<string, string>): string;
  /** The texts of the spec that may hold `{placeholders}`. */
  templated(spec: SpecOf<K>): string[];
}

/** Every runner kind, once; the mapped type makes the compiler refuse a kind left out. */
export const RUNNER_KINDS: { [K in RunnerKind]: RunnerKindRules<K> } = {
  command: {
    recordKind: 'script',
    describe(spec, placeholders) {
      const argv = expandArgv(spec.argv, placeholders);
      const shown = (argv.ok ? argv.value : spec.argv).map(quoteArg).join(' ');
      return `command \`${shown}\`${spec.cwd ? ` in ${spec.cwd}` : ''}${argv.ok ? '' : ` (${String(argv.reason)})`}`;
    },
    templated: (spec) => [...spec.argv],
  },
  github_actions: {
    recordKind: 'github-actions',
    describe(spec, placeholders) {
      const inputs = expandRecord(spec.inputs, placeholders);
      const pairs = Object.entries(inputs.ok ? inputs.value : spec.inputs)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
      return `GitHub Actions ${spec.owner}/${spec.repo} workflow \`${spec.workflow}\` on ${spec.ref}${pairs ? ` with ${pairs}` : ''}${inputs.ok ? '' : ` (${String(inputs.reason)})`}`;
    },
    templated: (spec) => Object.values(spec.inputs),
  },
  http: {
    recordKind: 'http',
    describe(spec, placeholders) {
      const body = spec.body ? expandJson(spec.body, placeholders) : null;
      return `HTTP POST ${spec.url}${body?.ok ? ` body \`${JSON.stringify(body.value)}\`` : ''}`;
    },
    templated: (spec) => (spec.body ? [JSON.stringify(spec.body)] : []),
  },
};

/** The rules of a spec's kind, typed for that spec. */
export function runnerKindOf<K extends RunnerKind>(spec: SpecOf<K>): RunnerKindRules<K> {
  return RUNNER_KINDS[spec.kind as K] as RunnerKindRules<K>;
}

function quoteArg(arg: string): string {
  return /^[A-Za-z0-9_./:=@+-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}
