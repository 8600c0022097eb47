import { runCheckConfigCli } from './check-config';
import { runClassifyCli } from './classify';
import { EXIT, type CliIo } from './cli-io';

const USAGE = `usage: incident-bot <command> [options]

commands:
  classify [file|-]   validate an alert payload and show the severity decision (see: incident-bot classify --help)
  check-config        check the configuration, rules and rollback plans; warn about what would fail (see: incident-bot check-config --help)
  help                show this help
`;

/** Dispatches `incident-bot <command> …` to the command; returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'classify':
      return runClassifyCli(rest, io);
    case 'check-config':
      return runCheckConfigCli(rest, io);
    case 'help':
    case '--help':
    case '-h':
      io.stdout(USAGE);
      return EXIT.ok;
    default:
      io.stderr(`${command === undefined ? 'no command given' : `unknown command "${command}"`}\n\n${USAGE}`);
      return EXIT.usage;
  }
}
