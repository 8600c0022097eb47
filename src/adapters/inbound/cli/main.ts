import { readFile } from 'node:fs/promises';
import { runCli } from './run-cli';

/** Process entry of the `incident-bot` binary: real stdin/stdout/files around `runCli`. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

process.exitCode = await runCli(process.argv.slice(2), {
  stdin: readStdin,
  stdinIsTTY: process.stdin.isTTY === true,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readFile(path, 'utf8'),
  env: process.env,
});
