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
import { createSignalSource } from '../../outbound/prometheus/create-signal-source';
import type { SignalSource } from '../../../app/ports/signal-source';
import { loadConfig } from '../../../config/load-config';
import { decideWithLive } from '../../../domain/signals/decide-with-live';
import { describeSnapshot } from '../../../domain/signals/format-signal-value';
import { stampExplanation } from '../../../domain/signals/signal-changes';
import { utcClock } from '../../../domain/report/utc-time';
import { createLogger } from '../../../logger';

export const CLASSIFY_USAGE = `usage: incident-bot classify [file|-] [--rules path] [--format ${ALERT_SOURCES.join('|')}] [--json] [--live]

Reads an alert payload (a file, or standard input with "-" or no file), validates it,
and prints the normalized alerts with the severity decision for each and for the group.
  --rules path   severity rules YAML (default: the built-in rules, same as config/severity-rules.yml)
  --format name  skip detection and parse as this format
  --json         print the batch and the decisions as JSON
  --live         also query the live signals of the payload's service (the bot's config:
                 CONFIG, PROMETHEUS_URL, PROMETHEUS_TOKEN; its severity rules unless --rules),
                 after trying each configured query once, and classify with them merged
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

  let live: LiveContext | null = null;
  if (args.live) {
    const loaded = loadConfig({ env: io.env ?? {} });
    if (!loaded.ok) {
      io.stderr(`--live: the config is invalid:\n${loaded.errors.map((e) => `  ${e}`).join('\n')}\n`);
      return EXIT.invalid;
    }
    const source = createSignalSource(loaded.config.signals, createLogger('silent'));
    if (!source) return usage(io, '--live needs live signals configured: signals.prometheus.url in the config, or PROMETHEUS_URL');
    live = { source, rules: loaded.config.severityRules };
  }
  const rules = args.rules === undefined && live ? live.rules : await loadRules(args.rules, io);
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
  if (!live) {
    io.stdout(
      args.json
        ? `${JSON.stringify({ batch: parsed.batch, decisions: decision.perAlert, group: decision.group }, null, 2)}\n`
        : renderClassification(parsed.batch, decision),
    );
    return EXIT.ok;
  }
  const lead = parsed.batch.alerts[decision.group?.alertIndex ?? 0];
  if (!lead?.service) {
    io.stderr('--live: the payload names no service, so there are no signals to query\n');
    return EXIT.invalid;
  }
  // Each configured query tried once: one that does not parse is named here.
  const check = await live.source.selfCheck();
  for (const problem of check.problems) io.stderr(`signal query does not work: ${problem}\n`);
  const snapshot = await live.source.readSignals(lead.service);
  const withLive = decideWithLive({ signals: lead.signals, labels: lead.labels }, lead.service, snapshot, rules);
  const explanation = stampExplanation(withLive);
  if (args.json) {
    io.stdout(
      `${JSON.stringify({ batch: parsed.batch, decisions: decision.perAlert, group: decision.group, live: { service: lead.service, snapshot, decision: { ...withLive.decision, explanation }, fromLive: withLive.fromLive, queryProblems: check.problems } }, null, 2)}\n`,
    );
  } else {
    const measured = `${snapshot.source} ${utcClock(snapshot.at)}`;
    io.stdout(
      renderClassification(parsed.batch, decision) +
        `\nlive signals for ${lead.service} (${measured}): ${describeSnapshot(snapshot)}\n` +
        (Object.keys(snapshot.values).length
          ? `with live signals: ${explanation}\n`
          : `with live signals: unchanged (signals unavailable: ${snapshot.unavailable})\n`),
    );
  }
  return check.problems.length ? EXIT.invalid : EXIT.ok;
}

interface LiveContext {
  source: SignalSource;
  rules: SeverityRules;
}

function readArgs(argv: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      rules: { type: 'string' },
      format: { type: 'string' },
      json: { type: 'boolean' },
      live: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
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
