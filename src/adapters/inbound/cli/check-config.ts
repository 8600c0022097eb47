import { parseArgs } from 'node:util';
import { formatWarning, type ConfigWarning } from '../../../app/config-check/config-warning';
import { findConfigWarnings } from '../../../app/config-check/find-config-warnings';
import { loadConfig } from '../../../config/load-config';
import { checkSlackReferences } from '../../outbound/slack/check-slack-references';
import { localFileProbe } from '../../outbound/runners/local-file-probe';
import { EXIT, type CliIo } from './cli-io';

export const CHECK_CONFIG_USAGE = `usage: incident-bot check-config [--config FILE]

Checks the configuration (CONFIG, default config/default.yml), its severity rules and its
rollback plans, as the bot would at start, and warns about what would fail at 3 a.m.:
approvers short of a rule, scripts missing or not executable, plans without verification,
services without owners. With SLACK_BOT_TOKEN set it also asks Slack (SLACK_API_URL) whether
the channel exists and every user group resolves.
  --config FILE  the file to check (instead of CONFIG)
Exit: 0 valid (warnings only), 1 invalid, 2 usage error.
`;

/** `incident-bot check-config …`, in the spirit of `amtool check-config`. Returns the exit code. */
export async function runCheckConfigCli(argv: readonly string[], io: CliIo): Promise<number> {
  let args: { config?: string; help?: boolean };
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    if (positionals.length) throw new Error(`unexpected argument "${positionals[0]}" (the file goes after --config)`);
    args = values;
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${CHECK_CONFIG_USAGE}`);
    return EXIT.usage;
  }
  if (args.help) {
    io.stdout(CHECK_CONFIG_USAGE);
    return EXIT.ok;
  }

  const loaded = loadConfig(args.config !== undefined ? { configPath: args.config } : {});
  if (!loaded.ok) {
    io.stdout(`Checking ${args.config ?? 'the configuration'}  FAILED:\n${loaded.errors.map((e) => `  - ${e}`).join('\n')}\n`);
    return EXIT.invalid;
  }
  const { config } = loaded;
  const warnings: ConfigWarning[] = findConfigWarnings(config, localFileProbe);
  const slack = Boolean(config.env.SLACK_BOT_TOKEN);
  if (slack) {
    // Loaded only when needed: the Slack SDK is most of the CLI's start time.
    const { webApi } = await import('@slack/bolt');
    const client = new webApi.WebClient(config.env.SLACK_BOT_TOKEN, {
      slackApiUrl: config.env.SLACK_API_URL,
      retryConfig: { retries: 1 },
      timeout: 10_000,
      logLevel: webApi.LogLevel.ERROR,
    });
    warnings.push(...(await checkSlackReferences(client, config)));
  }

  const withPlans = config.services.filter((s) => s.rollback).length;
  io.stdout(
    [
      `Checking ${config.source}  SUCCESS`,
      'Found:',
      ` - ${config.services.length} service(s), ${withPlans} with a rollback plan`,
      ` - ${config.severityRules.rules.length} severity rule(s)`,
      ` - announcements in ${config.channels.incident_response}`,
      slack
        ? ' - Slack references checked against the workspace'
        : ' - Slack references not checked (set SLACK_BOT_TOKEN to check channels and user groups)',
      '',
    ].join('\n'),
  );
  if (warnings.length)
    io.stdout(`${warnings.length} warning(s):\n${warnings.map((w) => `  - [${w.code}] ${formatWarning(w)}`).join('\n')}\n`);
  return EXIT.ok;
}
