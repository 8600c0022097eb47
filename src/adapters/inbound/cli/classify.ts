import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { ALERT_SOURCES, type AlertSource } from '../alerts/alert-sources';
import { detectAndParse } from '../alerts/parse-alert-payload';
import { classifyGroup } from '../../../domain/classifier/classify-group';
import { DEFAULT_SEVERITY_RULES } from '../../../domain/classifier/default-rules';
import { parseSeverityRules, type SeverityRules } from '../../../domain/classifier/rules-schema';
import { EXIT, type CliIo } from './cli-io';
import { plainText } from '../../../domain/phrase';
import { renderClassification } from './render-classification';

export const CLASSIFY_USAGE = `usage: incident-bot classify [file|-] [--rules path] [--format ${ALERT_SOURCES.join('|')}] [--json]

Reads an alert payload (a file, or standard input with "-" or no file), validates it,
and prints the normalized alerts with the severity decision for each and for the group.
  --rules path   severity rules YAML (default: the built-in rules, same as config/severity-rules.yml)
  --format name  skip detection and parse as this format
  --json         print the batch and the decisions as JSON
Exit: 0 valid, 1 invalid payload or rules (the message names the field), 2 usage error.
`;

/** `incident-bot classify …`; `argv` is what follows `classify`. Returns the exit code. */
export async function runClassifyCli(argv: readonly string[], io: CliIo): Promise<number> {
  let args: ReturnType<typeof readArgs>;
  try {
    args = readArgs(argv);
  } catch (error) {
    return usage(io, (error as Error).message);
  }
  if (args.help) {
    io.stdout(CLASSIFY_USAGE);
    return EXIT.ok;
  }
  if (args.format !== undefined && !(ALERT_SOURCES as readonly string[]).includes(args.format)) {
    return usage(io, `--format must be one of ${ALERT_SOURCES.join(', ')}, got "${args.format}"`);
  }

  const rules = await loadRules(args.rules, io);
  if (typeof rules === 'number') return rules;

  const fromStdin = args.file === undefined || args.file === '-';
  if (fromStdin && io.stdinIsTTY) return usage(io, 'no payload: pass a file, or pipe one in and use "-"');
  let text: string;
  try {
    text = fromStdin ? await io.stdin() : await io.readFile(args.file!);
  } catch (error) {
    return usage(io, `cannot read ${args.file}: ${(error as Error).message}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    io.stderr(`invalid payload: not JSON (${(error as Error).message})\n`);
    return EXIT.invalid;
  }

  const parsed = detectAndParse(body, args.format as AlertSource | undefined);
  if (!parsed.ok) {
    io.stderr(`invalid payload (${parsed.code}): ${plainText(parsed.reason)}\n`);
    return EXIT.invalid;
  }
  const decision = classifyGroup(parsed.batch.alerts, rules);
  io.stdout(args.json ? JSON.stringify({ batch: parsed.batch, decisions: decision.perAlert, group: decision.group }, null, 2) + '\n' : renderClassification(parsed.batch, decision));
  return EXIT.ok;
}

function readArgs(argv: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: { rules: { type: 'string' }, format: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (positionals.length > 1) throw new Error(`expected at most one payload file, got ${positionals.length}`);
  return { ...values, file: positionals[0] };
}

async function loadRules(path: string | undefined, io: CliIo): Promise<SeverityRules | number> {
  if (path === undefined) return DEFAULT_SEVERITY_RULES;
  let text: string;
  try {
    text = await io.readFile(path);
  } catch (error) {
    return usage(io, `cannot read rules ${path}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    io.stderr(`invalid rules ${path}: not YAML (${(error as Error).message})\n`);
    return EXIT.invalid;
  }
  const parsed = parseSeverityRules(data);
  if (!parsed.ok) {
    io.stderr(`${path}: ${plainText(parsed.reason)}\n`);
    return EXIT.invalid;
  }
  return parsed.rules;
}

function usage(io: CliIo, message: string): number {
  io.stderr(`${message}\n\n${CLASSIFY_USAGE}`);
  return EXIT.usage;
}
